namespace Campaigns.Api.Paging;

/// <summary>The list envelope of api.md.</summary>
public sealed record PagedResponse<T>(IReadOnlyList<T> Data, Pagination Pagination)
{
    /// <param name="rows">Up to <c>PageSize + 1</c> rows, newest first; the extra one only says a next page exists.</param>
    public static PagedResponse<T> From<TRow>(PageRequest request, IReadOnlyList<TRow> rows, long totalCount,
        Func<TRow, long> idOf, Func<TRow, T> map)
    {
        var hasMore = rows.Count > request.PageSize;
        var pageRows = hasMore ? rows.Take(request.PageSize) : rows;
        var data = pageRows.Select(map).ToList();
        var nextCursor = hasMore ? Cursor.Encode(idOf(rows[request.PageSize - 1])) : null;
        var totalPages = (totalCount + request.PageSize - 1) / request.PageSize;
        return new PagedResponse<T>(data,
            new Pagination(request.IsCursor ? null : request.Page, request.PageSize, totalCount, totalPages, nextCursor));
    }
}

public sealed record Pagination(int? Page, int PageSize, long TotalCount, long TotalPages, string? NextCursor);
