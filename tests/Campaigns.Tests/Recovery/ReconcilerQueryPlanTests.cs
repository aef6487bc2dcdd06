using Campaigns.Tests.Infrastructure;
using Campaigns.Worker.Maintenance;
using Dapper;

namespace Campaigns.Tests.Recovery;

/// <summary>The reconciler's periodic queries read the partial due index, so an idle system costs nothing.</summary>
public sealed class ReconcilerQueryPlanTests(AppFixture fixture)
{
    [Theory]
    [InlineData("due")]
    [InlineData("leases")]
    public async Task The_reconciler_queries_use_the_due_index(string query)
    {
        var ct = TestContext.Current.CancellationToken;
        var sql = query == "due" ? DueMessageStore.TakeDueSql : LeaseReconciler.ExpiredLeasesSql;
        await using var connection = await fixture.Database.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("ANALYZE outbound_messages", cancellationToken: ct));
        var plan = string.Join("\n", await connection.QueryAsync<string>(new CommandDefinition(
            "EXPLAIN " + sql, new { limit = 5_000, requeueAfter = TimeSpan.FromSeconds(60) }, cancellationToken: ct)));

        TestContext.Current.TestOutputHelper?.WriteLine(plan);
        Assert.Contains("idx_outbound_messages_due", plan);
        Assert.DoesNotContain("Seq Scan on outbound_messages", plan);
    }
}
