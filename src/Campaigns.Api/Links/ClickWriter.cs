using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Campaigns.Api.Links;

/// <summary>
/// Drains <see cref="ClickBuffer"/> in batches: everything waiting, up to <c>Links:ClickBatchSize</c>, goes to the
/// database in one call of <c>record_link_clicks</c> (migration 0019), the one home of the click rule. A batch that
/// fails is logged and dropped, like a click the process dies with. Only the wait is cancelled on shutdown, never a
/// write under way; then what is still waiting is written, for a few seconds at most.
/// </summary>
public sealed class ClickWriter(ClickBuffer buffer, NpgsqlDataSource dataSource, IOptions<LinkTrackingOptions> options,
    ILogger<ClickWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Click>(options.Value.ClickBatchSize);
        try
        {
            while (await buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteWaitingAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Stopping: write what the redirects handed over so far, briefly.
        using var grace = new CancellationTokenSource(ShutdownGrace);
        try
        {
            await WriteWaitingAsync(batch, grace.Token);
        }
        catch (OperationCanceledException e)
        {
            Log.ClicksLost(logger, batch.Count + buffer.Reader.Count, e);
        }
    }

    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    private async Task WriteWaitingAsync(List<Click> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < options.Value.ClickBatchSize && buffer.Reader.TryRead(out var click))
            {
                batch.Add(click);
            }
            if (batch.Count == 0)
            {
                return;
            }
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                var counted = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
                    "SELECT record_link_clicks(@codes, @at)",
                    new { codes = batch.Select(c => c.Code).ToArray(), at = batch.Select(c => c.At).ToArray() },
                    cancellationToken: cancellationToken));
                Log.ClicksWritten(logger, batch.Count, counted);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                Log.ClicksLost(logger, batch.Count, e);
            }
        }
    }
}
