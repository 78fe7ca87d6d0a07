using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace DiversitySync.Portal.Tokens;

/// <summary>How the client authenticated and with what, or why that cannot be accepted.</summary>
public sealed record PresentedCredentials(ClientAuthMethod Method, string? Key, string? ClientId,
    OAuthError? Error = null)
{
    public static PresentedCredentials Refused(OAuthError error,
        ClientAuthMethod method = ClientAuthMethod.None) => new(method, null, null, error);
}

/// <summary>
/// Step one of the token endpoint: the HTTP shape. Checks limits, content type, repeated and control-character
/// parameters, the grant type and that exactly one way of authenticating was used, all before any key is
/// looked at (T-01, T-02, T-04, T-07).
/// </summary>
public static class TokenRequestReader
{
    public const int MaxScopeLength = 300;
    public const string ClientCredentials = "client_credentials";

    public static async Task<ClientRequestRead<TokenRequest>> ReadAsync(HttpRequest request,
        CancellationToken cancellationToken)
    {
        var (fields, isJson, bodyError) = await ReadBodyAsync(request, allowJson: true, cancellationToken);
        if (bodyError is not null) return Fail(bodyError);

        var grantType = fields.GetValueOrDefault("grant_type");
        if (grantType is not null && grantType != ClientCredentials)
        {
            return Fail(OAuthError.UnsupportedGrantType("Only the client_credentials grant is supported."));
        }

        var credentials = Credentials(request, fields, isJson);
        var method = credentials.Method;
        if (credentials.Error is not null) return Fail(credentials.Error, method);
        if (grantType is null && method is ClientAuthMethod.BasicHeader or ClientAuthMethod.FormBody)
        {
            return Fail(OAuthError.InvalidRequest("grant_type is required: send grant_type=client_credentials."),
                method);
        }

        var scope = fields.GetValueOrDefault("scope");
        if (scope?.Length > MaxScopeLength)
        {
            return Fail(OAuthError.InvalidRequest($"scope can be at most {MaxScopeLength} characters."), method);
        }
        var scopes = scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return new(new TokenRequest(method, credentials.Key!, credentials.ClientId, scopes), null, method);
    }

    /// <summary>
    /// The HTTP shape every endpoint that authenticates a client shares (the token, introspection and revocation
    /// endpoints): no query string, one Authorization header, a body of at most 8 KB read into single-valued fields.
    /// Only the token endpoint takes the documented JSON body; RFC 7662 and 7009 requests are forms.
    /// </summary>
    public static async Task<TokenRequestBody.Read> ReadBodyAsync(HttpRequest request, bool allowJson,
        CancellationToken cancellationToken)
    {
        var none = new Dictionary<string, string>();
        if (request.QueryString.HasValue)
        {
            return new(none, false,
                OAuthError.InvalidRequest("Send parameters in the request body, never in the URL."));
        }
        if (request.Headers.Authorization.Count > 1)
        {
            return new(none, false, OAuthError.InvalidRequest("Send one Authorization header."));
        }
        if (request.ContentLength > TokenRequestBody.MaxBytes)
        {
            return new(none, false, OAuthError.TooLarge("The request body can be at most 8 KB."));
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = TokenRequestBody.MaxBytes;
        }
        return await TokenRequestBody.ReadAsync(request, allowJson, cancellationToken);
    }

    /// <summary>
    /// How the client authenticated (RFC 6749 §2.3: exactly one way), read from the header and the body's fields.
    /// </summary>
    public static PresentedCredentials Credentials(HttpRequest request, Dictionary<string, string> fields, bool isJson)
    {
        var header = request.Headers.Authorization.ToString();
        var bodyCredential = fields.ContainsKey("client_secret") || fields.ContainsKey("key")
            || fields.ContainsKey("api_key");
        var clientId = fields.GetValueOrDefault("client_id");
        if (header.Length > 0)
        {
            if (bodyCredential)
            {
                return PresentedCredentials.Refused(OAuthError.InvalidRequest("Authenticate one way only: the " +
                    "Authorization header or the body, not both."));
            }
            var space = header.IndexOf(' ');
            var scheme = space < 0 ? header : header[..space];
            var value = space < 0 ? "" : header[(space + 1)..].Trim();
            if (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            {
                return new(ClientAuthMethod.BearerHeader, value, clientId);
            }
            if (scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                // A malformed Basic value becomes an empty key: refused as invalid_client like any other bad key.
                var (basicId, basicSecret) = DecodeBasic(value) ?? ("", "");
                if (clientId is not null && clientId != basicId)
                {
                    return PresentedCredentials.Refused(OAuthError.InvalidRequest("client_id in the body differs from " +
                        "" +
                        "the one in the Authorization header."), ClientAuthMethod.BasicHeader);
                }
                return new(ClientAuthMethod.BasicHeader, basicSecret, basicId);
            }
            return PresentedCredentials.Refused(OAuthError.InvalidClient);
        }
        if (isJson && fields.TryGetValue("key", out var jsonKey)) return new(ClientAuthMethod.JsonBody, jsonKey, null);
        if (!isJson && fields.TryGetValue("client_secret", out var secret))
        {
            return clientId is null
                ? PresentedCredentials.Refused(OAuthError.InvalidRequest("client_id is required with client_secret."),
                    ClientAuthMethod.FormBody)
                : new(ClientAuthMethod.FormBody, secret, clientId);
        }
        if (bodyCredential)
        {
            return PresentedCredentials.Refused(OAuthError.InvalidRequest("In a form body, send the key id as " +
                "client_id and the key as client_secret."));
        }
        return PresentedCredentials.Refused(OAuthError.MissingClient);
    }

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

    private static ClientRequestRead<TokenRequest> Fail(OAuthError error,
        ClientAuthMethod method = ClientAuthMethod.None) => new(null, error, method);
}
