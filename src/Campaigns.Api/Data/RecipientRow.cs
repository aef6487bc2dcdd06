using Campaigns.Core.Templates;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>
/// What rendering a message for one customer needs, and whether the send leaves them out; read with a
/// plain reader, no mapper, for speed. Reads bind <c>@channel</c> (the campaign's) and <c>@cap</c> (that channel's
/// daily frequency cap, 0 for none: the statement without the cap is then read).
/// <para>
/// The cap is decided for a whole chunk at once, per campaign of the channel that wrote messages in the last day:
/// each such campaign's messages to customers in the chunk's id range (chunks are read in id order) are read in one
/// lookup, counted per customer, and joined to the chunk. <c>outbound_messages</c> is partitioned by campaign
/// (docs/scale.md, "Partitioned messages"), so a lookup by customer alone would probe every partition, while one per
/// campaign reads one partition. Whatever index the planner picks for a campaign, it reads it once a chunk, so the
/// cost is bounded by the campaigns' sizes, never recipients × campaign size as a lookup per customer and campaign
/// could grow to; and no step tests membership in a list one element at a time (a 25,000-id <c>= ANY</c> filter
/// over a campaign's messages is that). Those campaigns are found by <c>audience_attached_at</c>:
/// <c>start_campaign_send</c> sets it, once, in the transaction that writes the campaign's messages, which is the
/// only place messages are created, so no message is newer than its campaign's <c>audience_attached_at</c> and none
/// of the last day is left out. <c>OFFSET 0</c> keeps the lookup a subquery run per campaign with its key (pruned to
/// that campaign's partition as it runs); pulled up, the planner would rather probe every partition.
/// </para>
/// </summary>
/// <param name="TimeZone">The customer's IANA zone (null only between a write around the API and the backfill).</param>
/// <param name="Language">The customer's own language; null: the send derives it (<see cref="Campaigns.Core.Languages.RecipientLanguages"/>).</param>
public readonly record struct RecipientRow(long Id, TemplateFields Fields, bool OptedOut, bool Suppressed, bool FrequencyCapped, string? TimeZone,
    string? Language = null)
{
    /// <summary>
    /// The statement that reads a chunk of recipients with their skip rules, in id order; <paramref name="chunk"/>
    /// selects the chunk from <c>customers</c> (its WHERE, ORDER BY and LIMIT). Without a cap (<paramref name="capped"/>
    /// false) it reads no message at all.
    /// </summary>
    public static string ReadSql(string chunk, bool capped) => capped ? $"""
        WITH chunk AS MATERIALIZED (
            SELECT id, phone, first_name, last_name, location, preferred_product, opted_out, timezone, language
            FROM customers {chunk}),
        capped AS (
            SELECT sent.customer_id
            FROM unnest(ARRAY(SELECT c.id FROM campaigns c
                              WHERE c.channel = @channel AND c.audience_attached_at > now() - interval '1 day')) AS recent(id)
            CROSS JOIN LATERAL (
                SELECT m.customer_id FROM outbound_messages m
                WHERE m.campaign_id = recent.id
                  AND m.customer_id BETWEEN (SELECT min(id) FROM chunk) AND (SELECT max(id) FROM chunk)
                  AND m.created_at > now() - interval '1 day'
                  AND m.status IN ('pending', 'sending', 'sent', 'delivered', 'undelivered')
                OFFSET 0) sent
            GROUP BY sent.customer_id
            HAVING count(*) >= @cap)
        SELECT {Selected("chunk", "capped.customer_id IS NOT NULL")}
        FROM chunk LEFT JOIN capped ON capped.customer_id = chunk.id
        ORDER BY chunk.id
        """ : $"SELECT {Selected("customers", "false")} FROM customers {chunk}";

    private static string Selected(string customers, string frequencyCapped) => $"""
        {customers}.id, phone, first_name, last_name, location, preferred_product, opted_out,
            EXISTS (SELECT 1 FROM suppressions s WHERE s.phone = {customers}.phone AND s.channel = @channel) AS suppressed,
            {frequencyCapped} AS frequency_capped, timezone, language
        """;

    /// <summary>The parameters <see cref="ReadSql"/> reads besides its chunk's.</summary>
    public static void BindSkipRules(NpgsqlCommand command, string channel, int cap)
    {
        command.Parameters.AddWithValue("channel", channel);
        command.Parameters.AddWithValue("cap", cap);
    }

    /// <summary>Why the send leaves this customer out (the first that applies), or null.</summary>
    public Skip? Skipped => OptedOut ? Skip.OptedOut : Suppressed ? Skip.Suppressed : FrequencyCapped ? Skip.FrequencyCapped : null;

    public enum Skip
    {
        OptedOut,
        Suppressed,
        FrequencyCapped,
    }

    public static async Task<List<RecipientRow>> ReadAsync(NpgsqlConnection connection, string sql,
        Action<NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<RecipientRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var fields = new TemplateFields(
                FirstName: reader.GetString(2),
                LastName: reader.GetString(3),
                Location: reader.GetString(4),
                PreferredProduct: reader.GetString(5),
                Phone: reader.GetString(1));
            rows.Add(new RecipientRow(reader.GetInt64(0), fields, reader.GetBoolean(6), reader.GetBoolean(7), reader.GetBoolean(8),
                reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10)));
        }
        return rows;
    }
}
