using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Campaigns.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace Campaigns.Tests.Recovery;

/// <summary>
/// A graph with a local streaming standby (<c>Infrastructure:PostgresReplica</c>, issue 17): the API's lists read it,
/// reads by id the primary; when the standby stops, the lists answer from the primary and <c>/health</c> stays 200; started
/// again, it serves the lists again. One graph, its facts in order: each needs the standby as the one before left it.
/// </summary>
[Collection(nameof(RecoveryDrills))]
public sealed class ReadReplicaTests
{
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lists_read_the_standby_by_id_reads_the_primary_and_lists_fall_back_to_the_primary_when_the_standby_stops()
    {
        await using var graph = await CampaignsGraph.StartAsync(cancellationToken: Ct, args: ["Infrastructure:PostgresReplica=true"]);
        await using var standby = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(
            await graph.ConnectionStringAsync("campaignsdb-replica", Ct)) { Pooling = false }.ConnectionString);
        using var api = graph.CreateClient();
        Assert.True(await ScalarAsync<bool>(standby, "SELECT pg_is_in_recovery()"), "campaignsdb-replica is not a standby");

        // 1. The standby's replay paused: what the API writes now reaches the primary only.
        await ScalarAsync<object>(standby, "SELECT pg_wal_replay_pause()");
        await WaitUntilAsync(async () => await ScalarAsync<string>(standby, "SELECT pg_get_wal_replay_pause_state()") == "paused",
            "the standby's replay never paused");
        var saved = await api.CreateCampaignAsync(Ct);
        var id = saved["id"]!.GetValue<long>();
        var customer = (await api.PostJsonAsync("/customers", new { phone = Unique.KenyanPhone(), first_name = "Replica" }, Ct))
            .Expect(HttpStatusCode.Created).Json["id"]!.GetValue<long>();

        // Reads by id, and a list of the new campaign's messages (the standby does not have the campaign), from the primary.
        (await api.GetJsonAsync($"/campaigns/{id}", Ct)).Expect(HttpStatusCode.OK);
        (await api.GetJsonAsync($"/customers/{customer}", Ct)).Expect(HttpStatusCode.OK);
        Assert.Equal(0, (await api.GetJsonAsync($"/campaigns/{id}/messages", Ct)).Expect(HttpStatusCode.OK)
            .Json["pagination"]!["total_count"]!.GetValue<long>());
        // The lists and their totals, from the standby: without them.
        var campaigns = await ListAsync(api, "/campaigns?page_size=100");
        Assert.DoesNotContain(id, Ids(campaigns));
        Assert.Equal(Ids(campaigns).Count, campaigns["pagination"]!["total_count"]!.GetValue<long>());
        Assert.DoesNotContain(customer, Ids(await ListAsync(api, "/customers?page_size=100")));

        // Replay resumed: the lists catch up.
        await ScalarAsync<object>(standby, "SELECT pg_wal_replay_resume()");
        await WaitUntilAsync(async () => Ids(await ListAsync(api, "/campaigns?page_size=100")).Contains(id)
            && Ids(await ListAsync(api, "/customers?page_size=100")).Contains(customer), "the lists never showed the new rows");
        // Streaming again: how long a new campaign takes to reach the list (the staleness docs/scale.md names).
        var fresh = (await api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        var lag = Stopwatch.StartNew();
        var polls = 0;
        await WaitUntilAsync(async () =>
        {
            polls++;
            return Ids(await ListAsync(api, "/campaigns?page_size=100")).Contains(fresh);
        }, "a campaign created while the standby streams never reached the list");
        Drill.Report($"A new campaign listed {lag.Elapsed.TotalMilliseconds:F0} ms after its create answered ({polls} list reads)");

        // 2. The standby stopped: the lists answer from the primary, the new rows in them at once, and /health stays 200.
        await GraphResources.CommandAsync(graph.App, "postgres-replica", KnownResourceCommands.StopCommand, Ct);
        await graph.App.ResourceNotifications.WaitForResourceAsync("postgres-replica",
            e => e.Snapshot.State?.Text is "Finished" or "Exited" or "FailedToStart", Ct);
        var after = (await api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        // Twice: the first reads may meet pooled connections to the standby that has gone.
        for (var round = 0; round < 2; round++)
        {
            var listed = Ids(await ListAsync(api, "/campaigns?page_size=100"));
            Assert.Contains(id, listed);
            Assert.Contains(after, listed);
            Assert.Contains(customer, Ids(await ListAsync(api, "/customers?page_size=100")));
            (await api.GetJsonAsync($"/campaigns/{id}/messages", Ct)).Expect(HttpStatusCode.OK);
            await ListAsync(api, "/suppressions");
            await ListAsync(api, "/inbound");
        }

        using var probe = graph.CreateClient(authenticated: false);
        await WaitUntilAsync(async () =>
        {
            var health = await probe.GetJsonAsync("/health", Ct);
            Assert.True(health.Status == HttpStatusCode.OK, $"/health {(int)health.Status} with the standby stopped: {health.Text}");
            return health.Json["checks"]?["campaignsdb-replica"]?["status"]?.GetValue<string>() == "Degraded";
        }, "/health never reported the stopped standby as Degraded");

        // 3. The standby started again (its data kept: it streams from its slot again): the lists go back to it once
        // Npgsql rechecks the host (Host Recheck Seconds, 10 by default).
        await GraphResources.CommandAsync(graph.App, "postgres-replica", KnownResourceCommands.StartCommand, Ct);
        // Its own answer, not the resource's health: the report from before the stop can still read Healthy.
        await WaitUntilAsync(async () =>
        {
            try
            {
                return await ScalarAsync<bool>(standby, "SELECT pg_is_in_recovery()");
            }
            catch (NpgsqlException)
            {
                return false; // not up yet
            }
        }, "the standby did not come back");
        await ScalarAsync<object>(standby, "SELECT pg_wal_replay_pause()");
        var unseen = (await api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        await WaitUntilAsync(async () => !Ids(await ListAsync(api, "/campaigns?page_size=100")).Contains(unseen),
            "the lists never went back to the restarted standby");
        await ScalarAsync<object>(standby, "SELECT pg_wal_replay_resume()");
        await WaitUntilAsync(async () => Ids(await ListAsync(api, "/campaigns?page_size=100")).Contains(unseen),
            "the restarted standby's list never caught up");
    }

    private static async Task<JsonNode> ListAsync(HttpClient api, string path) =>
        (await api.GetJsonAsync(path, Ct)).Expect(HttpStatusCode.OK).Json;

    private static List<long> Ids(JsonNode page) => [.. page["data"]!.AsArray().Select(item => item!["id"]!.GetValue<long>())];

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource database, string sql)
    {
        await using var connection = await database.OpenConnectionAsync(Ct);
        return (await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, cancellationToken: Ct)))!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(CatchUpTimeout);
        try
        {
            while (!await condition())
            {
                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            Assert.Fail($"{failure} within {CatchUpTimeout.TotalSeconds:F0} s");
        }
    }
}
