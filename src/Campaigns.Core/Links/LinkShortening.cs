using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Campaigns.Core.Links;

/// <summary>
/// A tracked send's links, a chunk at a time (part of the send's transaction, or of an A/B test's release of its
/// rest): each new message's id is taken from the sequence first (a message already written keeps its own), each of its distinct URLs gets a fresh random code, and the chunk's links are
/// binary-COPYed into a staging table and inserted from it with <c>ON CONFLICT (code) DO NOTHING</c>. A code already
/// taken (62^8 codes make it rare, but it can happen, even against a concurrent send: the insert waits for it) gets a
/// new one and the colliding links go again, until all are in. Only then are the texts made, so every code a message
/// carries is stored. The links name their messages, written just after in the same transaction (deleted with them: migration 0028).
/// </summary>
/// <param name="newCode">Where codes come from: <see cref="TrackedLinks.NewCode"/> unless a test forces collisions.</param>
public sealed class LinkShortening(long campaignId, string prefix, Func<string>? newCode = null)
{
    private readonly Func<string> _newCode = newCode ?? TrackedLinks.NewCode;
    private const int MaxRounds = 16;
    private bool _stagingCreated;

    /// <summary>The chunk's message ids and texts, in the chunk's order.</summary>
    public sealed record Tracked(long[] Ids, string[] Texts);

    private sealed record Link(int Message, string Url)
    {
        public string Code { get; set; } = "";
    }

    /// <param name="plain">Each message's rendered text, URLs as written.</param>
    /// <param name="messageIds">The messages' ids when they exist already; null: new ids are taken for them.</param>
    public async Task<Tracked> WriteLinksAsync(NpgsqlConnection connection, IReadOnlyList<string> plain, long[]? messageIds,
        CancellationToken cancellationToken)
    {
        var ids = messageIds ?? (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT nextval(pg_get_serial_sequence('outbound_messages', 'id')) FROM generate_series(1, @count)",
            new { count = plain.Count }, cancellationToken: cancellationToken))).ToArray();
        var links = new List<Link>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < plain.Count; i++)
        {
            foreach (var url in TrackedLinks.Find(plain[i]).Select(f => plain[i].Substring(f.Start, f.Length)).Distinct(StringComparer.Ordinal))
            {
                links.Add(new Link(i, url) { Code = FreshCode(codes) });
            }
        }

        var pending = links;
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round == MaxRounds)
            {
                throw new InvalidOperationException($"{pending.Count} link codes still collide after {MaxRounds} rounds");
            }
            var collided = await InsertAsync(connection, pending, ids, cancellationToken);
            pending = collided.Count == 0 ? [] : [.. pending.Where(l => collided.Contains(l.Code))];
            foreach (var link in pending)
            {
                link.Code = FreshCode(codes);
            }
        }

        var byMessage = links.ToLookup(l => l.Message);
        var texts = new string[plain.Count];
        for (var i = 0; i < plain.Count; i++)
        {
            var ofMessage = byMessage[i].ToDictionary(l => l.Url, l => l.Code, StringComparer.Ordinal);
            texts[i] = ofMessage.Count == 0 ? plain[i] : TrackedLinks.Shorten(plain[i], prefix, url => ofMessage[url]);
        }
        return new Tracked(ids, texts);
    }

    /// <summary>Stages the links and inserts those whose code is free; returns the codes already taken (almost always none).</summary>
    private async Task<HashSet<string>> InsertAsync(NpgsqlConnection connection, List<Link> links, long[] ids,
        CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(_stagingCreated
            ? "TRUNCATE staged_links"
            : "CREATE TEMP TABLE staged_links (code text, message_id bigint, url text) ON COMMIT DROP",
            cancellationToken: cancellationToken));
        _stagingCreated = true;
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY staged_links (code, message_id, url) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var link in links)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(link.Code, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(ids[link.Message], NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(link.Url, NpgsqlDbType.Text, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
        }
        var inserted = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO links (code, message_id, campaign_id, url)
            SELECT code, message_id, @campaignId, url FROM staged_links
            ON CONFLICT (code) DO NOTHING
            """, new { campaignId }, cancellationToken: cancellationToken));
        if (inserted == links.Count)
        {
            return [];
        }
        // Some code was taken: those stored for another message or URL than the staged link's.
        var collided = await connection.QueryAsync<string>(new CommandDefinition("""
            SELECT s.code FROM staged_links s JOIN links l ON l.code = s.code
            WHERE (l.message_id, l.url) IS DISTINCT FROM (s.message_id, s.url)
            """,
            cancellationToken: cancellationToken));
        return collided.ToHashSet(StringComparer.Ordinal);
    }

    private string FreshCode(HashSet<string> taken)
    {
        string code;
        do
        {
            code = _newCode();
        }
        while (!taken.Add(code));
        return code;
    }
}
