namespace Campaigns.Api.Paging;

/// <summary>
/// The WHERE of a list statement, naming only the filters a request gave, with the request's values out of the
/// planner's sight, so that Postgres plans each shape of request once and reuses that plan (issue 17: planning was a
/// third of Postgres's CPU for a list page).
/// <para>
/// One text for every request (<c>(@phone IS NULL OR phone = @phone)</c>) cannot have one plan for all of them: a plan
/// that allows "no filter" cannot use the filter's index. And a value Postgres can see (<c>id &lt; $1</c>) makes it
/// plan again whenever a plan for that value looks cheaper than the one it keeps: for a list page, most of the time.
/// Behind <see cref="Value"/> a value is an InitPlan, the same unknown to every plan, so the kept plan is never beaten.
/// </para>
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

    /// <summary>A bound parameter (<c>@channel</c>) as a list statement compares with it.</summary>
    public static string Value(string parameter) => $"(SELECT {parameter})";
}
