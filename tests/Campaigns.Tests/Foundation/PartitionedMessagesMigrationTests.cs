using System.Globalization;
using Campaigns.MigrationService;
using Campaigns.Tests.Infrastructure;
using Dapper;
using DbUp;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Campaigns.Tests.Foundation;

/// <summary>
/// Migrations 0030 (hash partitions) and 0042 (ranges of campaign_id) convert a database that already holds messages:
/// the rows keep their ids, all in the first range, which holds every campaign that existed; new ids continue after
/// them, ranges are made ahead for the campaigns to come, the partitioned table keeps the keys and the delete triggers
/// (events and links go with their messages), on a database of its own migrated up to 0029 first. 0038 moves the
/// providers' message ids to provider_message_ids, which the receipts find their messages by: every recorded id is
/// copied, and goes with its message.
/// </summary>
public sealed class PartitionedMessagesMigrationTests(AppFixture fixture)
{
    private const int PartitionedFrom = 30;
    private const int RangesFrom = 42;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_database_with_messages_is_converted_with_its_ids_keys_and_triggers()
    {
        await using var database = await FreshDatabase.CreateAsync(fixture, Ct);
        var before = DeployChanges.To.PostgresqlDatabase(database.ConnectionString)
            .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => ScriptNumber(name) < PartitionedFrom)
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build();
        Assert.True((await Task.Run(before.PerformUpgrade, Ct)).Successful);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var connection = await dataSource.OpenConnectionAsync(Ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO customers (phone, first_name) VALUES ('+254712000101', 'Amina'), ('+254712000102', 'Baraka'), ('+254712000103', 'Chebet');
            INSERT INTO campaigns (name, channel, status, base_template) VALUES ('kept', 'sms', 'sent', 'Hi'), ('old', 'sms', 'sent', 'Hi');
            INSERT INTO outbound_messages (campaign_id, customer_id, status, rendered_content)
            SELECT c.id, u.id, 'sent', 'Hi' FROM campaigns c, customers u ORDER BY c.id, u.id;
            -- Accepted by a provider, but the last message: still no id.
            UPDATE outbound_messages SET provider = 'twilio', provider_message_id = 'SM' || id
            WHERE id < (SELECT max(id) FROM outbound_messages);
            INSERT INTO message_events (message_id, type) SELECT id, 'sent' FROM outbound_messages;
            INSERT INTO links (code, message_id, campaign_id, url)
            SELECT lpad(id::text, 8, '0'), id, campaign_id, 'https://example.com' FROM outbound_messages;
            """, cancellationToken: Ct));
        var rows = await MessagesAsync(connection);
        var recorded = rows.Select(r => r.Id).Order().ToArray()[..^1];

        var applied = await new DatabaseMigrator(database.ConnectionString, NullLogger.Instance).MigrateAsync(Ct);

        Assert.Contains(applied, name => ScriptNumber(name) == PartitionedFrom);
        Assert.Contains(applied, name => ScriptNumber(name) == RangesFrom);
        // The two campaigns in the first range; two ranges of 1,000 campaigns made ahead; the overflow.
        Assert.Equal(
            ["outbound_messages_overflow DEFAULT", "outbound_messages_r0000 FOR VALUES FROM (MINVALUE) TO ('3')",
             "outbound_messages_r0001 FOR VALUES FROM ('3') TO ('1003')", "outbound_messages_r0002 FOR VALUES FROM ('1003') TO ('2003')"],
            (await connection.QueryAsync<string>(new CommandDefinition("""
                SELECT i.inhrelid::regclass::text || ' ' || pg_get_expr(c.relpartbound, c.oid)
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'outbound_messages'::regclass ORDER BY 1
                """, cancellationToken: Ct))).ToArray());
        Assert.Equal(rows, await MessagesAsync(connection));
        Assert.Equal(["outbound_messages_r0000"], await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT tableoid::regclass::text FROM outbound_messages", cancellationToken: Ct)));
        Assert.Equal(recorded, await IdsAsync(connection,
            "SELECT p.message_id FROM provider_message_ids p JOIN outbound_messages m ON m.id = p.message_id AND m.campaign_id = p.campaign_id " +
            "WHERE p.provider = 'twilio' AND p.provider_message_id = 'SM' || m.id"));
        // New ids continue the old sequence; nobody is messaged twice by one campaign.
        var next = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            WITH u AS (INSERT INTO customers (phone, first_name) VALUES ('+254712000104', 'Dalmas') RETURNING id)
            INSERT INTO outbound_messages (campaign_id, customer_id) SELECT c.id, u.id FROM campaigns c, u WHERE c.name = 'kept'
            RETURNING id
            """, cancellationToken: Ct));
        Assert.True(next > rows.Max(r => r.Id), next.ToString(CultureInfo.InvariantCulture));
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO outbound_messages (campaign_id, customer_id) SELECT campaign_id, customer_id FROM outbound_messages WHERE id = @next
            """, new { next }, cancellationToken: Ct)));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
        // An old campaign deleted: its messages, their events, links and provider ids go; the other campaign's stay.
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM campaigns WHERE name = 'old'", cancellationToken: Ct));
        var kept = rows.Where(r => r.CampaignId == rows[0].CampaignId).Select(r => r.Id).Append(next).Order().ToArray();
        Assert.Equal(kept, await IdsAsync(connection, "SELECT id FROM outbound_messages"));
        Assert.Equal(kept[..^1], await IdsAsync(connection, "SELECT message_id FROM message_events"));
        Assert.Equal(kept[..^1], await IdsAsync(connection, "SELECT message_id FROM links"));
        Assert.Equal(recorded.Intersect(kept).ToArray(), await IdsAsync(connection, "SELECT message_id FROM provider_message_ids"));
    }

    private static int ScriptNumber(string name) =>
        int.Parse(name.AsSpan(name.IndexOf("Migrations.", StringComparison.Ordinal) + "Migrations.".Length, 4), CultureInfo.InvariantCulture);

    private static async Task<List<(long Id, long CampaignId, long CustomerId, string Status)>> MessagesAsync(NpgsqlConnection connection) =>
        (await connection.QueryAsync<(long, long, long, string)>(new CommandDefinition(
            "SELECT id, campaign_id, customer_id, status FROM outbound_messages ORDER BY id", cancellationToken: Ct))).AsList();

    private static async Task<long[]> IdsAsync(NpgsqlConnection connection, string sql) =>
        [.. (await connection.QueryAsync<long>(new CommandDefinition(sql, cancellationToken: Ct))).Order()];
}
