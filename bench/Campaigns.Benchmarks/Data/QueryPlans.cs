using System.Globalization;
using System.Text.RegularExpressions;
using Campaigns.Api.Data;
using Campaigns.Api.Paging;
using Dapper;

namespace Campaigns.Benchmarks.Data;

/// <summary>
/// EXPLAIN ANALYZE of the statements behind the read endpoints (CampaignStore's, with the parameters a request would
/// bind written in), so the report shows how much of a request's time the database is.
/// </summary>
public static partial class QueryPlans
{
    private static readonly PageRequest FirstPage = new(1, PageRequest.DefaultPageSize, BeforeId: null);

    public static IReadOnlyDictionary<string, string> Statements(long campaignId, long cursorId) => new Dictionary<string, string>
    {
        ["campaign_by_id"] = CampaignStore.ReadSql.Replace("@id", campaignId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
        ["list_page"] = CampaignStore.ListRowsSql(FirstPage, channel: null, status: null),
        ["list_count"] = CampaignStore.ListCountSql.Replace("@channel", "NULL", StringComparison.Ordinal)
            .Replace("@status", "NULL", StringComparison.Ordinal),
        ["cursor_page"] = CampaignStore.ListRowsSql(FirstPage with { BeforeId = cursorId }, channel: null, status: null)
            .Replace("@beforeId", cursorId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal),
    };

    /// <returns>Execution time in ms per statement (the best of three runs), and the plans as text.</returns>
    public static async Task<(Dictionary<string, double> Milliseconds, string Plans)> ExplainAsync(BenchDatabase database,
        long campaignId, long cursorId, CancellationToken cancellationToken)
    {
        var times = new Dictionary<string, double>();
        var plans = new System.Text.StringBuilder();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        foreach (var (name, sql) in Statements(campaignId, cursorId))
        {
            var best = double.MaxValue;
            IEnumerable<string> plan = [];
            for (var run = 0; run < 3; run++)
            {
                plan = await connection.QueryAsync<string>(new CommandDefinition($"EXPLAIN (ANALYZE, BUFFERS) {sql}",
                    cancellationToken: cancellationToken));
                var executionTime = plan.Select(line => ExecutionTime().Match(line)).FirstOrDefault(m => m.Success);
                if (executionTime is not null)
                {
                    best = Math.Min(best, double.Parse(executionTime.Groups[1].Value, CultureInfo.InvariantCulture));
                }
            }
            times[name] = Math.Round(best, 3);
            plans.AppendLine($"-- {name}").AppendLine(string.Join('\n', plan)).AppendLine();
        }
        return (times, plans.ToString());
    }

    [GeneratedRegex(@"Execution Time: ([0-9.]+) ms")]
    private static partial Regex ExecutionTime();
}
