using System.Net;
using Campaigns.MigrationService;
using Campaigns.Tests.Infrastructure;
using Campaigns.Worker.Maintenance;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Campaigns.Tests.Foundation;

/// <summary>
/// <c>outbound_messages</c> is partitioned by ranges of campaign_id made ahead of the campaigns (migration 0042,
/// <see cref="MessagePartitionKeeper"/>; docs/scale.md, "Partitioned messages"): each campaign's messages go to the
/// range that holds it; a campaign no range holds yet still sends, into the overflow partition, and the next range
/// starts above it; a range waits for writers of campaigns no longer than its lock timeout; a second caller does not
/// wait for the first; and the worker keeps the ranges ahead by itself.
/// </summary>
public sealed class MessagePartitionKeeperTests(AppFixture fixture)
{
    private static readonly TimeSpan NoWait = TimeSpan.FromMilliseconds(100);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ranges_are_made_ahead_of_the_campaigns_and_each_campaigns_messages_go_to_its_range()
    {
        await using var database = await MigratedAsync(campaignsPerPartition: 5, partitionsAhead: 2);
        await using var connection = await database.OpenConnectionAsync(Ct);
        // A fresh database has the first range and two of 1,000 ahead; its campaigns are then numbered from 2,001.
        Assert.Equal([(null, 1L), (1L, 1001L), (1001L, 2001L)], await RangesAsync(connection));
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT setval(pg_get_serial_sequence('campaigns', 'id'), 2000)", cancellationToken: Ct));

        Assert.Equal(2, await MessagePartitionKeeper.ExtendAsync(connection, NoWait, Ct));
        var campaigns = await InsertCampaignsWithAMessageAsync(connection, 7);
        Assert.Equal(2, await MessagePartitionKeeper.ExtendAsync(connection, NoWait, Ct));
        Assert.Equal(0, await MessagePartitionKeeper.ExtendAsync(connection, NoWait, Ct));

        // Two ranges of 5 beyond the last campaign (2,007) each time it was asked.
        Assert.Equal([(null, 1L), (1L, 1001L), (1001L, 2001L), (2001L, 2006L), (2006L, 2011L), (2011L, 2016L), (2016L, 2021L)],
            await RangesAsync(connection));
        Assert.Equal(
            campaigns.Select(id => (id, id < 2006 ? "outbound_messages_r0003" : "outbound_messages_r0004")).ToArray(),
            await PartitionsOfAsync(connection, campaigns));
        // A made range is a partition like the others: its indexes named after the table's, its campaigns counted at 100.
        Assert.Equal(10, await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'outbound_messages_r0005' AND indexname LIKE '%\\_r0005'",
            cancellationToken: Ct)));
        Assert.Equal("{n_distinct=100}", await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT attoptions::text FROM pg_attribute WHERE attrelid = 'outbound_messages_r0005'::regclass AND attname = 'campaign_id'",
            cancellationToken: Ct)));
    }

    [Fact]
    public async Task A_campaign_no_range_holds_sends_into_the_overflow_and_the_next_range_starts_above_it()
    {
        await using var database = await MigratedAsync(campaignsPerPartition: 5, partitionsAhead: 1);
        await using var connection = await database.OpenConnectionAsync(Ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT setval(pg_get_serial_sequence('campaigns', 'id'), 5000)", cancellationToken: Ct));

        var beyond = await InsertCampaignsWithAMessageAsync(connection, 1);
        Assert.Equal([(5001L, "outbound_messages_overflow")], await PartitionsOfAsync(connection, beyond));
        Assert.Equal(1, await MessagePartitionKeeper.ExtendAsync(connection, NoWait, Ct));
        var next = await InsertCampaignsWithAMessageAsync(connection, 1);

        Assert.Equal((5002L, 5007L), (await RangesAsync(connection))[^1]);
        Assert.Equal([(5001L, "outbound_messages_overflow"), (5002L, "outbound_messages_r0003")],
            await PartitionsOfAsync(connection, [.. beyond, .. next]));
    }

    [Fact]
    public async Task A_range_waits_for_writers_of_campaigns_no_longer_than_its_lock_timeout()
    {
        await using var database = await MigratedAsync(campaignsPerPartition: 5, partitionsAhead: 1);
        await using var connection = await database.OpenConnectionAsync(Ct);
        var campaign = (await InsertCampaignsWithAMessageAsync(connection, 1))[0];
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT setval(pg_get_serial_sequence('campaigns', 'id'), 2000)", cancellationToken: Ct));
        var before = await RangesAsync(connection);

        await using (var writer = await database.OpenConnectionAsync(Ct))
        await using (var write = await writer.BeginTransactionAsync(Ct))
        {
            // A send or a counter update in progress: its transaction holds campaigns open for writing.
            await writer.ExecuteAsync(new CommandDefinition("UPDATE campaigns SET name = name WHERE id = @campaign", new { campaign },
                write, cancellationToken: Ct));
            // Were the lock timeout not set, the extension would wait for this writer for ever: a deadline fails it instead.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            Assert.Null(await MessagePartitionKeeper.ExtendAsync(connection, NoWait, deadline.Token));
            Assert.Equal(before, await RangesAsync(connection));
            await write.CommitAsync(Ct);
        }

        Assert.Equal(1, await MessagePartitionKeeper.ExtendAsync(connection, NoWait, Ct));
    }

    [Fact]
    public async Task A_second_caller_returns_at_once_while_a_first_one_has_not_committed()
    {
        await using var database = await MigratedAsync(campaignsPerPartition: 5, partitionsAhead: 1);
        await using var connection = await database.OpenConnectionAsync(Ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT setval(pg_get_serial_sequence('campaigns', 'id'), 2000)", cancellationToken: Ct));
        await using var first = await database.OpenConnectionAsync(Ct);
        await using var making = await first.BeginTransactionAsync(Ct);
        Assert.Equal(1, await first.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT extend_message_partitions()", transaction: making, cancellationToken: Ct)));

        // The first still holds its transaction open; waiting for it would never end, so a deadline fails that.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        Assert.Equal(0, await MessagePartitionKeeper.ExtendAsync(connection, TimeSpan.FromSeconds(60), deadline.Token));
        await making.CommitAsync(Ct);

        Assert.Equal((2001L, 2006L), (await RangesAsync(connection))[^1]);
        Assert.Equal(0, await MessagePartitionKeeper.ExtendAsync(connection, NoWait, Ct));
    }

    [Fact]
    public async Task The_worker_keeps_the_ranges_ahead_and_a_sent_campaign_is_written_to_its_range()
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(Ct);
        // As if 2,500 campaigns had been created: beyond the ranges made ahead until now.
        var highest = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT setval(pg_get_serial_sequence('campaigns', 'id'),
                          (SELECT campaigns_to FROM message_partitions ORDER BY campaigns_to DESC LIMIT 1) + 2500)
            """, cancellationToken: Ct));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(120));
        while (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                   "SELECT max(campaigns_to) FROM message_partitions", cancellationToken: deadline.Token)) <= highest + 1)
        {
            await Task.Delay(250, deadline.Token);
        }

        var api = fixture.CreateApiClient();
        var customer = await fixture.Database.InsertCustomerAsync(Ct);
        var campaign = (await api.CreateCampaignAsync(Ct))["id"]!.GetValue<long>();
        (await api.PostJsonAsync($"/campaigns/{campaign}/send", new { customer_ids = new[] { customer } }, Ct)).Expect(HttpStatusCode.Accepted);
        var (partitionName, from, to) = await connection.QuerySingleAsync<(string, long, long)>(new CommandDefinition("""
            SELECT p.partition_name, p.campaigns_from, p.campaigns_to
            FROM outbound_messages m JOIN message_partitions p ON p.partition_name = m.tableoid::regclass::text
            WHERE m.campaign_id = @campaign
            """, new { campaign }, cancellationToken: Ct));
        Assert.InRange(campaign, from, to - 1);
        Assert.StartsWith("outbound_messages_r", partitionName, StringComparison.Ordinal);
    }

    /// <summary>A fresh database, migrated, its ranges to come <paramref name="campaignsPerPartition"/> campaigns each.</summary>
    private async Task<MigratedDatabase> MigratedAsync(int campaignsPerPartition, int partitionsAhead)
    {
        var database = await FreshDatabase.CreateAsync(fixture, Ct);
        await new DatabaseMigrator(database.ConnectionString, NullLogger.Instance).MigrateAsync(Ct);
        var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await dataSource.ExecuteAsync(
            "UPDATE message_partitioning SET campaigns_per_partition = @campaignsPerPartition, partitions_ahead = @partitionsAhead",
            new { campaignsPerPartition, partitionsAhead }, Ct);
        return new MigratedDatabase(database, dataSource);
    }

    private sealed class MigratedDatabase(FreshDatabase database, NpgsqlDataSource dataSource) : IAsyncDisposable
    {
        public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
            dataSource.OpenConnectionAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await dataSource.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private static async Task<long[]> InsertCampaignsWithAMessageAsync(NpgsqlConnection connection, int count) =>
        [.. (await connection.QueryAsync<long>(new CommandDefinition("""
            WITH u AS (INSERT INTO customers (phone, first_name) VALUES ('+2547' || lpad((random() * 1e8)::bigint::text, 8, '0'), 'C')
                       RETURNING id),
                 c AS (INSERT INTO campaigns (name, channel, status, base_template)
                       SELECT 'c' || g, 'sms', 'sent', 'Hi' FROM generate_series(1, @count) g RETURNING id)
            INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content)
            SELECT c.id, u.id, 'sent', 'Hi' FROM c, u
            RETURNING campaign_id
            """, new { count }, cancellationToken: Ct))).Order()];

    private static async Task<(long?, long)[]> RangesAsync(NpgsqlConnection connection) =>
        [.. await connection.QueryAsync<(long?, long)>(new CommandDefinition(
            "SELECT campaigns_from, campaigns_to FROM message_partitions ORDER BY campaigns_to", cancellationToken: Ct))];

    private static async Task<(long, string)[]> PartitionsOfAsync(NpgsqlConnection connection, long[] campaigns) =>
        [.. await connection.QueryAsync<(long, string)>(new CommandDefinition(
            "SELECT campaign_id, tableoid::regclass::text FROM outbound_messages WHERE campaign_id = ANY(@campaigns) ORDER BY campaign_id",
            new { campaigns }, cancellationToken: Ct))];
}
