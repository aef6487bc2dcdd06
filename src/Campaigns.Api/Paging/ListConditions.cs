namespace Campaigns.Api.Paging;

/// <summary>
/// The WHERE of a list statement, naming only the filters a request gave. One text for every request
/// (<c>(@phone IS NULL OR phone = @phone)</c>) cannot have one plan for all of them: a plan that has to allow "no
/// filter" cannot use the filter's index, so Postgres planned such statements again at every request. A text per
/// shape of request keeps one plan per shape (<see cref="PageRequest.LimitSql"/> says why that matters).
/// </summary>
public static class ListConditions
{
    /// <returns><c>WHERE a AND b</c> of the conditions that are not null; empty when all are.</returns>
    public static string Where(params ReadOnlySpan<string?> conditions)
    {
        var given = new List<string>(conditions.Length);
        foreach (var condition in conditions)
        {
            if (condition is not null)
            {
                given.Add(condition);
            }
        }
        return given.Count == 0 ? "" : "WHERE " + string.Join(" AND ", given);
    }
}
