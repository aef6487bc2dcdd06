using System.Runtime.CompilerServices;
using Campaigns.Core.Queue;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>
/// The messages of a campaign still queued with one stamp, a page of <c>Send:PublishPageSize</c> ids at a time
/// in id order (<c>queued_message_page</c>, migration 0009: one range scan of the queue index per page).
/// A message claimed or queued again meanwhile drops out; each page is read on a connection of its own.
/// </summary>
public sealed class QueuedMessagePages(NpgsqlDataSource dataSource, IOptions<SendOptions> options)
{
    public async IAsyncEnumerable<QueuedMessages> ReadAsync(long campaignId, DateTime queuedAt,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string sql = "SELECT id FROM queued_message_page(@campaignId, @queuedAt, @afterId, @limit)";
        var limit = options.Value.PublishPageSize;
        var afterId = 0L;
        while (true)
        {
            long[] ids;
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            {
                ids = (await connection.QueryAsync<long>(new CommandDefinition(sql, new { campaignId, queuedAt, afterId, limit },
                    cancellationToken: cancellationToken))).ToArray();
            }
            if (ids.Length > 0)
            {
                yield return new QueuedMessages(ids, queuedAt);
            }
            if (ids.Length < limit)
            {
                yield break;
            }
            afterId = ids[^1];
        }
    }
}
