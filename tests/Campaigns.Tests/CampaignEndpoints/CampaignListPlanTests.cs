using System.Net;
using System.Text.Json.Nodes;
using Campaigns.Api.Data;
using Campaigns.Api.Paging;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace Campaigns.Tests.CampaignEndpoints;

/// <summary>
/// What a list page costs Postgres beyond reading its rows (issue 17: a list page's CPU cut by a third): each shape of
/// request is planned once and its plan reused, and the view's per-row work is no function call for a campaign that
/// has nothing to count.
/// </summary>
public sealed class CampaignListPlanTests(AppFixture fixture)
{
    private readonly HttpClient _api = fixture.CreateApiClient();
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string?, long?> Shapes => new()
    {
        { "first page", null, null },
        { "filtered page", "whatsapp", null },
        { "cursor page", null, 1_000_000_000L },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task A_list_page_statement_keeps_one_plan_across_requests(string shape, string? channel, long? beforeId)
    {
        var page = new PageRequest(1, PageRequest.DefaultPageSize, beforeId);
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        await using var command = new NpgsqlCommand(CampaignStore.ListRowsSql(page, channel, status: null), connection);
        if (channel is not null)
        {
            command.Parameters.AddWithValue("channel", channel);
        }
        if (beforeId is not null)
        {
            command.Parameters.AddWithValue("beforeId", beforeId.Value);
        }
        await command.PrepareAsync(Ct);
        const int requests = 10;
        for (var i = 0; i < requests; i++)
        {
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
            }
        }

        var (generic, custom) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            """
            SELECT generic_plans, custom_plans FROM pg_prepared_statements
            WHERE NOT from_sql AND statement LIKE '%FROM campaign_totals%' ORDER BY prepare_time DESC LIMIT 1
            """, cancellationToken: Ct));
        // Postgres tries at most five custom plans before settling on the generic one when it costs no more; a statement
        // whose generic plan always costs more (a LIMIT bound as a parameter) is planned again at every request.
        Assert.True(custom <= 5 && generic >= requests - 5, $"{shape}: {custom} custom plans, {generic} generic in {requests} runs");
        if (beforeId is not null)
        {
            // The generic plan still starts at the cursor (an index condition), never scanning down from the newest row.
            await connection.ExecuteAsync(new CommandDefinition("SET plan_cache_mode = force_generic_plan", cancellationToken: Ct));
            await connection.ExecuteAsync(new CommandDefinition(
                $"PREPARE cursor_page(bigint) AS {CampaignStore.ListRowsSql(page, null, null).Replace("@beforeId", "$1")}", cancellationToken: Ct));
            var plan = string.Join("\n", await connection.QueryAsync<string>(new CommandDefinition(
                "EXPLAIN EXECUTE cursor_page(1000000000)", cancellationToken: Ct)));
            await connection.ExecuteAsync(new CommandDefinition("DEALLOCATE cursor_page; RESET plan_cache_mode", cancellationToken: Ct));
            Assert.Matches(@"Index Cond: \(\w*\.?id < \$\d+\)", plan);
        }
    }

    [Fact]
    public async Task The_waiting_count_is_counted_only_for_a_campaign_sending_inside_a_window()
    {
        var draft = (await _api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var windowed = (await _api.PostJsonAsync("/campaigns", new JsonObject
        {
            ["name"] = Unique.Name("window"),
            ["channel"] = "sms",
            ["base_template"] = "Hi {first_name}",
            ["send_window"] = new JsonObject { ["start"] = "08:00", ["end"] = "20:00" },
        }, Ct)).Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();

        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        // Rolled back: the worker never sees this campaign sending.
        await connection.ExecuteAsync(new CommandDefinition("""
            SET LOCAL track_functions = 'all';
            UPDATE campaigns SET status = 'sending' WHERE id = @windowed;
            """, new { windowed }, transaction, cancellationToken: Ct));

        async Task<long> CallsAfterReadingAsync(long id)
        {
            var before = await CallsAsync();
            var waiting = await connection.QuerySingleAsync<int>(new CommandDefinition(
                "SELECT waiting_count FROM campaign_totals WHERE id = @id", new { id }, transaction, cancellationToken: Ct));
            Assert.Equal(0, waiting);
            return await CallsAsync() - before;
        }
        Task<long> CallsAsync() => connection.QuerySingleAsync<long>(new CommandDefinition("""
            SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_xact_user_functions WHERE funcname = 'campaign_waiting_count'
            """, transaction: transaction, cancellationToken: Ct));

        Assert.Equal(0, await CallsAfterReadingAsync(draft));
        Assert.Equal(1, await CallsAfterReadingAsync(windowed));
    }
}
