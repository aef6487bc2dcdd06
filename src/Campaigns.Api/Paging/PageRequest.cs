using System.Globalization;
using System.Text;
using Campaigns.Api.Errors;
using Campaigns.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Campaigns.Api.Paging;

/// <summary>
/// A list request: <c>page</c>/<c>page_size</c> (clamped as api.md says) or a keyset <c>cursor</c>
/// that continues strictly after the last row returned.
/// </summary>
/// <param name="BeforeId">The cursor's row (the last one returned): a newest-first list continues below it.</param>
public sealed record PageRequest(int Page, int PageSize, long? BeforeId)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>
    /// The deepest row a page may reach (<c>page × page_size</c>): OFFSET reads and discards every row
    /// before the page, so deeper lists are read with the cursor, which costs the same at any depth.
    /// </summary>
    public const int MaxPagedRows = 10_000;

    public bool IsCursor => BeforeId is not null;

    /// <summary>The same cursor row, read by an oldest-first list (a message's events): it continues above it.</summary>
    public long? AfterId => BeforeId;

    public long Offset => IsCursor ? 0 : (long)(Page - 1) * PageSize;

    /// <summary>
    /// The statement's LIMIT (one row past the page: it says whether a next page exists) and OFFSET, as numbers in its
    /// text. Bound as parameters, they made Postgres plan a list's statement again at every request: a generic plan has
    /// to assume an unknown LIMIT reads a tenth of the table, so it always costs more than a plan for 21 rows and is never
    /// chosen (issue 17's profile of the list load: a third of Postgres's CPU went to planning). Both are this request's
    /// own integers, never text a caller wrote; a shape of request seen again reuses its prepared statement and plan.
    /// </summary>
    public string LimitSql => string.Create(CultureInfo.InvariantCulture, $"LIMIT {PageSize + 1} OFFSET {Offset}");

    /// <summary>The cursor's condition on <paramref name="idColumn"/> (it binds <c>@beforeId</c>); null without a cursor.</summary>
    public string? BeforeCondition(string idColumn = "id") => IsCursor ? $"{idColumn} < {ListConditions.Value("@beforeId")}" : null;

    /// <summary>A page reaching past <see cref="MaxPagedRows"/>: its rows are never read (it is refused, or past the end).</summary>
    public bool IsTooDeep => !IsCursor && (long)Page * PageSize > MaxPagedRows;

    /// <summary>
    /// The 400 for a page too deep that would still have rows, pointing to the cursor; null when the page can
    /// be answered (a page past the end is an empty page, as for any list).
    /// </summary>
    public ProblemHttpResult? DepthProblem(long totalCount) =>
        IsTooDeep && Offset < totalCount
            ? ApiProblem.Validation("page",
                $"page {Page} of page_size {PageSize} reaches row {(long)Page * PageSize:N0}; pages reach at most row {MaxPagedRows:N0}: "
                + "read further with cursor (each page's next_cursor), which costs the same at any depth")
            : null;

    public static PageRequest Parse(string? page, string? pageSize, string? cursor, ValidationErrors errors)
    {
        var pageNumber = ParseInteger(page, "page", errors, fallback: 1);
        var size = ParseInteger(pageSize, "page_size", errors, fallback: DefaultPageSize);
        pageNumber = Math.Max(pageNumber, 1);
        size = size < 1 ? DefaultPageSize : Math.Min(size, MaxPageSize);

        long? beforeId = null;
        if (cursor is not null)
        {
            if (Cursor.TryDecode(cursor, out var id))
            {
                beforeId = id;
            }
            else
            {
                errors.Add("cursor", "cursor is malformed; pass a next_cursor value exactly as it was returned");
            }
        }
        return new PageRequest(pageNumber, size, beforeId);
    }

    private static int ParseInteger(string? raw, string name, ValidationErrors errors, int fallback)
    {
        if (raw is null)
        {
            return fallback;
        }
        if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(name, $"{name} must be an integer");
            return fallback;
        }
        // Out-of-range values clamp like any other: huge pages are simply past the end.
        return (int)Math.Clamp(value, int.MinValue / 2, int.MaxValue / 2);
    }
}

/// <summary>
/// An opaque keyset cursor: the id of the last row a page returned (0 for a row that has no id of its own
/// and comes before every other: a message's synthesized <c>queued</c> event).
/// </summary>
public static class Cursor
{
    private const string Prefix = "v1:";

    public static string Encode(long lastId) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(Prefix + lastId.ToString(CultureInfo.InvariantCulture)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string cursor, out long lastId)
    {
        lastId = 0;
        if (cursor.Length is 0 or > 64)
        {
            return false;
        }
        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        Span<byte> bytes = stackalloc byte[64];
        if (!Convert.TryFromBase64String(base64, bytes, out var written))
        {
            return false;
        }
        var text = Encoding.ASCII.GetString(bytes[..written]);
        return text.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out lastId)
            && lastId >= 0;
    }
}
