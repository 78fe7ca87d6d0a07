using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace DiversitySync.Portal.Tokens;

/// <summary>The outcome of reading a token request: a request of the right shape, or the error to answer with.</summary>
public sealed record TokenRequestRead(TokenRequest? Request, OAuthError? Error, ClientAuthMethod Method);

/// <summary>
/// Step one of the token endpoint: the HTTP shape. Checks limits, content type, repeated and control-character
/// parameters, the grant type and that exactly one way of authenticating was used, all before any key is
/// looked at (security-checklist T-01, T-02, T-04, T-07).
/// </summary>
public static class TokenRequestReader
{
    public const int MaxBodyBytes = 8 * 1024;
    public const int MaxScopeLength = 300;
    public const string ClientCredentials = "client_credentials";

    private const string FormMediaType = "application/x-www-form-urlencoded";
    private const string JsonMediaType = "application/json";
    private static readonly string[] JsonFields = ["key", "scope", "grant_type"];

    public static async Task<TokenRequestRead> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.QueryString.HasValue) return Fail(OAuthError.InvalidRequest("Send parameters in the request body, never in the URL."));
        if (request.Headers.Authorization.Count > 1) return Fail(OAuthError.InvalidRequest("Send one Authorization header."));
        if (request.ContentLength > MaxBodyBytes) return Fail(OAuthError.TooLarge("The request body can be at most 8 KB."));
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;

        var (fields, isJson, bodyError) = await ReadBodyAsync(request, cancellationToken);
        if (bodyError is not null) return Fail(bodyError);

        var grantType = fields.GetValueOrDefault("grant_type");
        if (grantType is not null && grantType != ClientCredentials)
        {
            return Fail(OAuthError.UnsupportedGrantType("Only the client_credentials grant is supported."));
        }

        var (method, key, clientId, credentialError) = Credentials(request, fields, isJson);
        if (credentialError is not null) return Fail(credentialError, method);
        if (grantType is null && method is ClientAuthMethod.BasicHeader or ClientAuthMethod.FormBody)
        {
            return Fail(OAuthError.InvalidRequest("grant_type is required: send grant_type=client_credentials."), method);
        }

        var scope = fields.GetValueOrDefault("scope");
        if (scope?.Length > MaxScopeLength) return Fail(OAuthError.InvalidRequest($"scope can be at most {MaxScopeLength} characters."), method);
        var scopes = scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return new TokenRequestRead(new TokenRequest(method, key!, clientId, scopes), null, method);
    }

    private static (ClientAuthMethod, string?, string?, OAuthError?) Credentials(HttpRequest request, Dictionary<string, string> fields, bool isJson)
    {
        var header = request.Headers.Authorization.ToString();
        var bodyCredential = fields.ContainsKey("client_secret") || fields.ContainsKey("key") || fields.ContainsKey("api_key");
        var clientId = fields.GetValueOrDefault("client_id");
        if (header.Length > 0)
        {
            if (bodyCredential)
            {
                return (ClientAuthMethod.None, null, null, OAuthError.InvalidRequest("Authenticate one way only: the Authorization header or the body, not both."));
            }
            var space = header.IndexOf(' ');
            var scheme = space < 0 ? header : header[..space];
            var value = space < 0 ? "" : header[(space + 1)..].Trim();
            if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                return (ClientAuthMethod.BearerHeader, value, clientId, null);
            }
            if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                // A malformed Basic value becomes an empty key: refused as invalid_client like any other bad key.
                var (basicId, basicSecret) = DecodeBasic(value) ?? ("", "");
                if (clientId is not null && clientId != basicId)
                {
                    return (ClientAuthMethod.BasicHeader, null, null, OAuthError.InvalidRequest("client_id in the body differs from the one in the Authorization header."));
                }
                return (ClientAuthMethod.BasicHeader, basicSecret, basicId, null);
            }
            return (ClientAuthMethod.None, null, null, OAuthError.InvalidClient);
        }
        if (isJson && fields.TryGetValue("key", out var jsonKey)) return (ClientAuthMethod.JsonBody, jsonKey, null, null);
        if (!isJson && fields.TryGetValue("client_secret", out var secret))
        {
            return clientId is null
                ? (ClientAuthMethod.FormBody, null, null, OAuthError.InvalidRequest("client_id is required with client_secret."))
                : (ClientAuthMethod.FormBody, secret, clientId, null);
        }
        if (bodyCredential)
        {
            return (ClientAuthMethod.None, null, null, OAuthError.InvalidRequest("In a form body, send the key id as client_id and the key as client_secret."));
        }
        return (ClientAuthMethod.None, null, null, OAuthError.MissingClient);
    }

    private static async Task<(Dictionary<string, string> Fields, bool IsJson, OAuthError? Error)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody) return (fields, false, null);

        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        try
        {
            if (string.Equals(mediaType, FormMediaType, StringComparison.OrdinalIgnoreCase))
            {
                var form = await request.ReadFormAsync(cancellationToken);
                foreach (var (name, values) in form)
                {
                    if (values.Count > 1) return (fields, false, OAuthError.InvalidRequest($"The parameter '{Printable(name)}' was sent more than once."));
                    if (!string.IsNullOrEmpty(values[0])) fields[name] = values[0]!; // RFC 6749 §3.1: empty means omitted
                }
                return (fields, false, ControlCharacters(fields));
            }
            if (string.Equals(mediaType, JsonMediaType, StringComparison.OrdinalIgnoreCase))
            {
                using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 8 }, cancellationToken);
                if (document.RootElement.ValueKind != JsonValueKind.Object) return (fields, true, OAuthError.InvalidRequest("The JSON body must be an object such as {\"key\": \"ds_live_…\"}."));
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (!seen.Add(property.Name)) return (fields, true, OAuthError.InvalidRequest($"The property '{Printable(property.Name)}' was sent more than once."));
                    if (!JsonFields.Contains(property.Name) || property.Value.ValueKind == JsonValueKind.Null) continue;
                    if (property.Value.ValueKind != JsonValueKind.String) return (fields, true, OAuthError.InvalidRequest($"'{property.Name}' must be a string."));
                    if (property.Value.GetString() is { Length: > 0 } value) fields[property.Name] = value;
                }
                return (fields, true, ControlCharacters(fields));
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (fields, false, OAuthError.TooLarge("The request body can be at most 8 KB."));
        }
        catch (Exception exception) when (exception is JsonException or InvalidDataException or BadHttpRequestException or DecoderFallbackException)
        {
            return (fields, false, OAuthError.InvalidRequest("The request body could not be read: " + (mediaType == JsonMediaType ? "it is not valid JSON." : "it is not a valid form.")));
        }
        return (fields, false, OAuthError.InvalidRequest("Send the body as application/x-www-form-urlencoded or application/json."));
    }

    private static OAuthError? ControlCharacters(Dictionary<string, string> fields) =>
        fields.Any(f => f.Key.Any(char.IsControl) || f.Value.Any(char.IsControl))
            ? OAuthError.InvalidRequest("Parameters cannot contain control characters.")
            : null;

    /// <summary>RFC 6749 §2.3.1: client_id and client_secret are form-encoded before Basic encoding.</summary>
    private static (string Id, string Secret)? DecodeBasic(string value)
    {
        var bytes = new byte[value.Length];
        if (value.Length == 0 || !Convert.TryFromBase64String(value, bytes, out var length)) return null;
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var colon = text.IndexOf(':');
        if (colon <= 0) return null;
        return (FormDecode(text[..colon]), FormDecode(text[(colon + 1)..]));
    }

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    /// <summary>Parameter names are echoed in errors: shortened, without control characters.</summary>
    private static string Printable(string value)
    {
        var clean = string.Concat(value.Where(c => !char.IsControl(c)));
        return clean.Length <= 40 ? clean : clean[..40] + "…";
    }

    private static TokenRequestRead Fail(OAuthError error, ClientAuthMethod method = ClientAuthMethod.None) => new(null, error, method);
}
