using Campaigns.ProviderSimulator.Options;
using Microsoft.Extensions.Options;

namespace Campaigns.ProviderSimulator.Receipts;

/// <summary>Takes receipts off the queue as they fall due and posts a bounded number at once.</summary>
public sealed class ReceiptDispatcher(
    ReceiptQueue queue,
    ReceiptPoster poster,
    IOptions<SimulatorOptions> options,
    ILogger<ReceiptDispatcher> logger) : BackgroundService
{
    // Not disposed: posts still running at shutdown release it after the loop has ended.
    private readonly SemaphoreSlim _slots = new(options.Value.ReceiptConcurrency);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await _slots.WaitAsync(stoppingToken);
                Receipt receipt;
                try
                {
                    receipt = await queue.TakeAsync(stoppingToken);
                }
                catch
                {
                    _slots.Release();
                    throw;
                }
                _ = PostAsync(receipt, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (queue.Count is > 0 and var unsent)
            {
                Log.ReceiptsUnsent(logger, unsent);
            }
        }
    }

    private async Task PostAsync(Receipt receipt, CancellationToken stoppingToken)
    {
        try
        {
            await poster.PostAsync(receipt, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the receipt goes with the process, as a provider's would not, but this is a simulator.
        }
        catch (Exception exception)
        {
            Log.ReceiptPostFailed(logger, exception, receipt.Provider, receipt.Status, receipt.MessageId);
        }
        finally
        {
            _slots.Release();
        }
    }
}
