using System.Text.Json;
using System.Text.RegularExpressions;

namespace DiversitySync.Portal.Api;

/// <summary>
/// What the framework found wrong while binding a request, in our own words: the parameter or JSON property and
/// what it should be, never a .NET type or parameter declaration (L-04). The framework's own message reads like
/// <c>Failed to bind parameter "Nullable&lt;int&gt; page" from "abc".</c>
/// </summary>
public static partial class BadRequestWords
{
    public static string Describe(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge) return "The request body is too large.";
        if (bad.InnerException is JsonException json) return Describe(json);
        if (BindFailure().Match(bad.Message) is { Success: true } bind)
        {
            return $"The parameter {bind.Groups["name"].Value} must be {Expected(bind.Groups["type"].Value)}.";
        }
        if (RequiredMissing().Match(bad.Message) is { Success: true } missing)
        {
            return $"The parameter {missing.Groups["name"].Value} is required.";
        }
        if (bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            return "The request body must be a JSON object.";
        }
        return "The request could not be read.";
    }

    private static string Describe(JsonException json)
    {
        // JSON paths are built from the client's own property names: shown as they were sent, without control characters.
        var where = json.Path is { Length: > 1 } path ? EchoedInput.Clean(path[2..], 80) : null;
        if (json.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return where is null ? "A JSON property was sent more than once." : $"The property {where} was sent more " +
                $"than once.";
        }
        return where is null ? "The request body is not valid JSON." : $"The property {where} has a value of the " +
            $"wrong kind, or the JSON is not valid there.";
    }

    private static string Expected(string type) => type.Replace("Nullable<", "").TrimEnd('>') switch
    {
        "int" or "long" or "short" or "Int32" or "Int64" => "a whole number",
        "bool" or "Boolean" => "true or false",
        "DateTime" or "DateTimeOffset" or "DateOnly" => "a date (yyyy-mm-dd)",
        "Guid" => "an identifier",
        "double" or "decimal" or "float" => "a number",
        _ => "one of the documented values",
    };

    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^ "]+) (?<name>[A-Za-z0-9_]+)" from""")]
    private static partial Regex BindFailure();

    [GeneratedRegex("""^Required parameter "(?<type>[^ "]+) (?<name>[A-Za-z0-9_]+)" was not provided""")]
    private static partial Regex RequiredMissing();
}
