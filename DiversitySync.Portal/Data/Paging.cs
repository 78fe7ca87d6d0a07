namespace DiversitySync.Portal.Data;

public static class Paging
{
    /// <summary>How many rows come before a 1-based page, counted without overflow: a page past the end is empty, never page 1 again.</summary>
    public static int Skip(int page, int size) => (int)Math.Min(int.MaxValue, (Math.Max(1L, page) - 1) * size);
}
