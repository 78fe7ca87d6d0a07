namespace DiversitySync.Portal.Core;

public static class Paging
{
    /// <summary>A page number from a query string: a positive whole number, or page 1 for anything else.</summary>
    public static int PageFrom(string? text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture,
            out var page) && page > 0 ? page : 1;

    /// <summary>
    /// How many rows come before a 1-based page, counted without overflow: a page past the end is empty, never page 1
    /// again.
    /// </summary>
    public static int Skip(int page, int size) => (int)Math.Min(int.MaxValue, (Math.Max(1L, page) - 1) * size);
}

/// <summary>One page of a list: its items, how many there are in all, and which page of what size this is.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
