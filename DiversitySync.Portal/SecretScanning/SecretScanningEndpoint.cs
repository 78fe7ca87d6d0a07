using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DiversitySync.Portal.Keys;
using DiversitySync.Portal.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DiversitySync.Portal.SecretScanning;

/// <summary>
/// POST /security/secret-scanning: leaked-key reports in the GitHub secret scanning partner format. The batch must
/// be signed (ECDSA P-256, SHA-256, over the raw body) by a configured key; each of our active keys in it is
/// revoked as "leaked" (S-04). The answer labels each token by its SHA-256 and says nothing more.
/// </summary>
public static class SecretScanningEndpoint
{
    public const string Path = "/security/secret-scanning";
    public const string KeyIdHeader = "Github-Public-Key-Identifier";
    public const string SignatureHeader = "Github-Public-Key-Signature";
    public const int MaxTokens = 1000;
    public const int MaxBodyBytes = 1024 * 1024;
    public const string LeakedReason = "leaked";

    public sealed record Match(
        [property: JsonPropertyName("token_hash"), Description("SHA-256 of the token, hex")] string TokenHash,
        [property: JsonPropertyName("token_type"), Description("As reported")] string? TokenType,
        [property: JsonPropertyName("label"), Description("true_positive or false_positive")] string Label);

    /// <summary>
    /// One item of a report, for the OpenAPI document (the handler reads the raw body: the signature covers its bytes).
    /// </summary>
    public sealed record ReportedToken(
        [property: JsonPropertyName("token"), Description("The string found")] string Token,
        [property: JsonPropertyName("type"), Description("The scanner's name for the pattern")] string? Type,
        [property: JsonPropertyName("url"), Description("Where it was found")] string? Url,
        [property: JsonPropertyName("source"), Description("content, commit, issue…")] string? Source);

    private sealed record Reported(KeySighting Sighting, string? Type);

    public static async Task<IResult> HandleAsync(HttpContext http, IOptions<SecretScanningOptions> options,
        ApiKeyService keys)
    {
        if (options.Value.PublicKeys.Count == 0)
        {
            return Problem(StatusCodes.Status404NotFound, "Not found",
                "Secret scanning reports are not accepted here.");
        }
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            http.Response.Headers.Allow = "POST";
            return Problem(StatusCodes.Status405MethodNotAllowed, "Method not allowed", "Send the report with POST.");
        }
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type)
            || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the report as application/json.");
        }
        if (await ReadBodyAsync(http) is not { } body)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Too large", "A report can be at most 1 MB.");
        }
        if (!IsSigned(http.Request.Headers, body, options.Value))
        {
            return Problem(StatusCodes.Status401Unauthorized, "Unauthorized",
                $"The report must be signed by a configured key ({KeyIdHeader}, {SignatureHeader}).");
        }
        var (reported, problem) = Parse(body);
        if (reported is null) return Problem(StatusCodes.Status400BadRequest, "Invalid report", problem!);

        var report = new LeakReport(LeakedReason, "Secret scanning", http.ClientIp(), http.TraceIdentifier);
        var found = await keys.RevokeLeakedAsync([.. reported.Select(r => r.Sighting)], report, http.RequestAborted);
        var types = reported.GroupBy(r => r.Sighting.Presented, StringComparer.Ordinal).ToDictionary(g => g.Key,
            g => g.First().Type, StringComparer.Ordinal);
        return TypedResults.Json(
            found.Select(f => new Match(
                Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(f.Sighting.Presented))),
                types[f.Sighting.Presented],
                f.IsOurs ? "true_positive" : "false_positive")).ToList(),
            SecretScanningJson.Default.ListMatch);
    }

    /// <summary>The raw body (the signature covers its exact bytes), or null when it is over the limit.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes) return null;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        using var buffer = new MemoryStream();
        try
        {
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return buffer.Length > MaxBodyBytes ? null : buffer.ToArray();
    }

    private static bool IsSigned(IHeaderDictionary headers, byte[] body, SecretScanningOptions options)
    {
        if (headers[KeyIdHeader] is not [{ } keyId]
            || headers[SignatureHeader] is not [{ Length: > 0 and <= 512 } encoded])
        {
            return false;
        }
        if (!options.PublicKeys.TryGetValue(keyId, out var pem)) return false;
        var signature = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, signature, out var length)) return false;
        using var key = SecretScanningOptions.Load(pem);
        return key is not null
            && key.VerifyData(body, signature.AsSpan(0, length), HashAlgorithmName.SHA256,
            DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>
    /// A JSON array of at most <see cref="MaxTokens"/> objects, each with a string token; type, url and source strings
    /// if present.
    /// </summary>
    private static (List<Reported>? Reported, string? Problem) Parse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return (null, "The report must be a JSON array of {\"token\", \"type\", \"url\", \"source\"} objects.");
            }
            if (document.RootElement.GetArrayLength() > MaxTokens)
            {
                return (null, $"A report can hold at most {MaxTokens:N0} tokens.");
            }
            var reported = new List<Reported>();
            foreach (var (item, i) in document.RootElement.EnumerateArray().Select((item, i) => (item, i)))
            {
                if (item.ValueKind != JsonValueKind.Object) return (null, $"Item {i} is not an object.");
                var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var property in item.EnumerateObject())
                {
                    if (property.Name is not ("token" or "type" or "url" or "source")) continue;
                    if (fields.ContainsKey(property.Name))
                    {
                        return (null, $"Item {i} has {property.Name} more than once.");
                    }
                    if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    {
                        return (null, $"Item {i}: {property.Name} must be a string.");
                    }
                    fields[property.Name] = property.Value.GetString();
                }
                if (fields.GetValueOrDefault("token") is not { Length: > 0 and <= 1024 } token)
                {
                    return (null, $"Item {i} needs a token of 1 to 1,024 characters.");
                }
                reported.Add(new Reported(new KeySighting(token, fields.GetValueOrDefault("url"),
                    fields.GetValueOrDefault("source")),
                    fields.GetValueOrDefault("type") is { } type ? EchoedInput.Clean(type, 100) : null));
            }
            return (reported, null);
        }
        // InvalidOperationException: a string that is not valid UTF-16 (a lone surrogate escape) cannot be read.
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return (null, "The report is not valid JSON.");
        }
    }

    private static IResult Problem(int status, string title, string detail) => TypedResults.Problem(detail,
        statusCode: status, title: title);
}

[JsonSerializable(typeof(List<SecretScanningEndpoint.Match>))]
internal sealed partial class SecretScanningJson : JsonSerializerContext;
