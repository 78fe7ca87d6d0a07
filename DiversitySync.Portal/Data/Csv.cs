using System.Text;

namespace DiversitySync.Portal.Data;

/// <summary>One column of an export: its header (the field's name) and how a row gives its cell.</summary>
public sealed record CsvColumn<T>(string Name, Func<T, string?> Value);

/// <summary>
/// CSV (RFC 4180), streamed row by row. Names, targets and details can come from anyone (a key's name, a sign-in
/// email), so a cell that a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP CSV injection).
/// </summary>
public static class Csv
{
    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static async Task WriteAsync<T>(IAsyncEnumerable<T> rows, IReadOnlyList<CsvColumn<T>> columns,
        TextWriter writer, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(Line(columns.Select(c => c.Name)));
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Line(columns.Select(c => c.Value(row))));
        }
    }

    /// <summary>
    /// Streams <paramref name="rows"/> as the response: no-store, as a download named <paramref name="name"/>-time.csv.
    /// </summary>
    public static async Task RespondAsync<T>(HttpContext http, string name, IAsyncEnumerable<T> rows,
        IReadOnlyList<CsvColumn<T>> columns, TimeProvider time)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store"; // exports are not for shared caches or the browser's history
        http.Response.Headers.ContentDisposition = $"attachment; " +
            $"filename=\"{name}-{time.GetUtcNow():yyyyMMdd-HHmmss}.csv\"";
        await using var writer = new StreamWriter(http.Response.Body, Encoding, bufferSize: 64 * 1024);
        await WriteAsync(rows, columns, writer, http.RequestAborted);
    }

    public static string Line(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell)) + "\r\n";

    /// <summary>
    /// One cell: defused if it starts like a formula, quoted if it holds a comma, quote or line break.
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
