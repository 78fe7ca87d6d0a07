using System.Text;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace DiversitySync.Portal.Tokens;

/// <summary>
/// Reads a token request's body into single-valued fields: a form (RFC 6749) or a JSON object (the documented
/// {"key": …} form). Repeated parameters and control characters are refused (RFC 6749 §3.2, checklist T-07);
/// empty values count as omitted (RFC 6749 §3.1).
/// </summary>
public static class TokenRequestBody
{
    /// <summary>The body's fields, whether it was JSON, and the error to answer with if it cannot be used.</summary>
    public sealed record Read(Dictionary<string, string> Fields, bool IsJson, OAuthError? Error);

    public const int MaxBytes = 8 * 1024;
    private const string FormMediaType = "application/x-www-form-urlencoded";
    private const string JsonMediaType = "application/json";
    private static readonly string[] JsonFields = ["key", "scope", "grant_type"];

    /// <param name="allowJson">Whether the documented JSON body is accepted (the token endpoint only).</param>
    public static async Task<Read> ReadAsync(HttpRequest request, bool allowJson, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var hasBody = request.ContentLength > 0
            || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody) return new(fields, false, null);

        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType,
            out var parsed) ? parsed.MediaType.Value : null;
        try
        {
            if (string.Equals(mediaType, FormMediaType, StringComparison.OrdinalIgnoreCase))
            {
                var form = await request.ReadFormAsync(cancellationToken);
                foreach (var (name, values) in form)
                {
                    if (values.Count > 1)
                    {
                        return new(fields, false,
                            OAuthError.InvalidRequest($"The parameter '{OAuthError.Printable(name)}' was sent more " +
                            $"than once."));
                    }
                    // RFC 6749 §3.1: empty means omitted
                    if (!string.IsNullOrEmpty(values[0])) fields[name] = values[0]!;
                }
                return new(fields, false, ControlCharacters(fields));
            }
            if (allowJson && string.Equals(mediaType, JsonMediaType, StringComparison.OrdinalIgnoreCase))
            {
                using var document = await JsonDocument.ParseAsync(request.Body,
                    new JsonDocumentOptions { MaxDepth = 8 }, cancellationToken);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return new(fields, true,
                        OAuthError.InvalidRequest("The JSON body must be an object with a key property."));
                }
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (!seen.Add(property.Name))
                    {
                        return new(fields, true,
                            OAuthError.InvalidRequest($"The property '{OAuthError.Printable(property.Name)}' was sent " +
                            $"" +
                            $"more than once."));
                    }
                    if (!JsonFields.Contains(property.Name) || property.Value.ValueKind == JsonValueKind.Null) continue;
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        return new(fields, true, OAuthError.InvalidRequest($"'{property.Name}' must be a string."));
                    }
                    if (property.Value.GetString() is { Length: > 0 } value) fields[property.Name] = value;
                }
                return new(fields, true, ControlCharacters(fields));
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(fields, false, OAuthError.TooLarge("The request body can be at most 8 KB."));
        }
        // InvalidOperationException: JSON text that is not valid UTF-8 cannot be read as a string.
        catch (Exception exception) when (exception is JsonException or InvalidDataException or BadHttpRequestException or DecoderFallbackException or InvalidOperationException)
        {
            return new(fields, false,
                OAuthError.InvalidRequest("The request body could not be read: " + (mediaType == JsonMediaType ? "it " +
                "is not valid JSON." : "it is not a valid form.")));
        }
        return new(fields, false, OAuthError.InvalidRequest(
            allowJson
                ? "Send the body as application/x-www-form-urlencoded or application/json."
                : "Send the body as " +
            "application/x-www-form-urlencoded."));
    }

    private static OAuthError? ControlCharacters(Dictionary<string, string> fields) =>
        fields.Any(f => f.Key.Any(char.IsControl) || f.Value.Any(char.IsControl))
            ? OAuthError.InvalidRequest("Parameters cannot contain control characters.")
            : null;
}
