using Campaigns.Api.Data;
using Npgsql;

namespace Campaigns.Api.Timing;

/// <summary>
/// A send's view of its campaign's window: for each recipient zone, whether the window is open at the send
/// (null) or when it opens next. Asked of Postgres's <c>send_window_at</c> (migration 0015, the one home of the
/// rule) once per zone, as the chunks of recipients bring new zones, in the send's transaction, so <c>now()</c>
/// is the send's own time, the one its queue stamp carries.
/// </summary>
public sealed class SendWindowOpenings(long campaignId)
{
    private const string Sql = """
        SELECT z.zone, CASE WHEN w.opens_at > now() THEN w.opens_at END
        FROM campaigns c, unnest(@zones) AS z(zone), LATERAL send_window_at(c.send_window, recipient_zone(nullif(z.zone, '')), now()) w
        WHERE c.id = @campaignId
        """;

    // A customer without a zone (null) is read in UTC, like recipient_zone does; "" stands for it here.
    private readonly Dictionary<string, DateTime?> _opensAt = new(StringComparer.Ordinal);

    /// <summary>Learns the openings of the zones among <paramref name="rows"/> not seen before: one query, none when all are known.</summary>
    public async Task LearnAsync(NpgsqlConnection connection, IReadOnlyList<RecipientRow> rows, CancellationToken cancellationToken)
    {
        var zones = rows.Select(Key).Where(zone => !_opensAt.ContainsKey(zone)).Distinct(StringComparer.Ordinal).ToArray();
        if (zones.Length == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.AddWithValue("zones", zones);
        command.Parameters.AddWithValue("campaignId", campaignId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _opensAt[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetDateTime(1);
        }
    }

    /// <summary>When the recipient's window opens, or null when it is open now.</summary>
    public DateTime? OpensAt(RecipientRow row) => _opensAt[Key(row)];

    private static string Key(RecipientRow row) => row.TimeZone ?? "";
}
