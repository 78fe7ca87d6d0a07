using Microsoft.EntityFrameworkCore;

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

    /// <summary>
    /// How far a list counts its rows: past this many it says "more than 10,000" rather than reading every match
    /// (an exact count of a million keys reads a million index entries on every page).
    /// </summary>
    public const int CountLimit = 10_000;

    /// <summary>
    /// The rows' count up to <see cref="CountLimit"/>, or up to the end of the page asked for when that is further,
    /// so the next page of a long list is always offered. Exact when below the limit.
    /// </summary>
    public static async Task<(int Total, bool Exact)> CountAsync<T>(IQueryable<T> rows, int page, int size,
        CancellationToken cancellationToken)
    {
        var limit = (int)Math.Min(int.MaxValue - 1, Math.Max(CountLimit, (long)Skip(page, size) + size));
        var counted = await rows.Take(limit + 1).CountAsync(cancellationToken);
        return counted > limit ? (limit, false) : (counted, true);
    }
}

/// <summary>
/// One page of a list: its items, how many there are in all, and which page of what size this is. When
/// <paramref name="TotalIsExact"/> is false there are more than <paramref name="Total"/> (<see
/// cref="Paging.CountAsync"/>), and one page more than the counted ones is offered.
/// </summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize, bool TotalIsExact = true)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize) + (TotalIsExact ? 0 : 1);
}
