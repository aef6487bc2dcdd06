using Campaigns.Core.Templates;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>
/// What rendering a message for one customer needs, and whether the send leaves them out; read with a
/// plain reader, no mapper, for speed. Reads of these columns bind <c>@channel</c> (the campaign's) and
/// <c>@cap</c> (that channel's daily frequency cap, 0 for none). The cap counts no further than the cap: a third
/// less work for a customer already at it than counting every message of the day.
/// <para>
/// The cap looks a customer up per campaign of the channel that wrote messages in the last day, not by customer:
/// <c>outbound_messages</c> is partitioned by campaign (docs/scale.md, "Partitioned messages"), so a lookup by
/// customer alone probes all 16 partitions, while one per campaign reads one partition's part of the unique
/// (campaign_id, customer_id) key. Those campaigns are read once a statement (the uncorrelated array), by
/// <c>audience_attached_at</c>: <c>start_campaign_send</c> sets it, once, in the transaction that writes the
/// campaign's messages, which is the only place messages are created, so no message is newer than its campaign's
/// <c>audience_attached_at</c> and none of the last day is left out. <c>OFFSET 0</c> keeps the lookup a
/// subquery run per campaign with both keys (pruned to that campaign's partition as it runs); pulled up, the
/// planner would rather probe every partition by customer.
/// </para>
/// </summary>
/// <param name="TimeZone">The customer's IANA zone (null only between a write around the API and the backfill).</param>
/// <param name="Language">The customer's own language; null: the send derives it (<see cref="Campaigns.Core.Languages.RecipientLanguages"/>).</param>
public readonly record struct RecipientRow(long Id, TemplateFields Fields, bool OptedOut, bool Suppressed, bool FrequencyCapped, string? TimeZone,
    string? Language = null)
{
    public const string Columns = """
        id, phone, first_name, last_name, location, preferred_product, opted_out,
        EXISTS (SELECT 1 FROM suppressions s WHERE s.phone = customers.phone AND s.channel = @channel) AS suppressed,
        @cap > 0 AND (SELECT count(*) FROM (
                          SELECT 1
                          FROM unnest(ARRAY(SELECT c.id FROM campaigns c
                                            WHERE c.channel = @channel AND c.audience_attached_at > now() - interval '1 day')) AS recent(id)
                          CROSS JOIN LATERAL (
                              SELECT 1 FROM outbound_messages m
                              WHERE m.campaign_id = recent.id AND m.customer_id = customers.id
                                AND m.created_at > now() - interval '1 day'
                                AND m.status IN ('pending', 'sending', 'sent', 'delivered', 'undelivered')
                              OFFSET 0) sent
                          LIMIT @cap) counted) >= @cap AS frequency_capped,
        timezone, language
        """;

    /// <summary>The parameters <see cref="Columns"/> reads.</summary>
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
