using System.Text.RegularExpressions;
using Campaigns.Worker.Delivery;
using Campaigns.Worker.Sending;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Faults;

/// <summary>Fails the batches <see cref="FaultOptions.FailBatches"/> names, after the claim and before any call.</summary>
public sealed class FailingBatches(IOptions<FaultOptions> options) : IBeforeSendHook
{
    private readonly Regex _phones = new(options.Value.FailBatchesForPhones ?? "$^", RegexOptions.CultureInvariant);
    private int _left = options.Value.FailBatches;

    public Task BeforeSendAsync(IReadOnlyList<ClaimedMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Any(m => _phones.IsMatch(m.Phone)) && Interlocked.Decrement(ref _left) >= 0)
        {
            throw new InvalidOperationException($"Fault injected: batch of {messages.Count} claim(s) failed before sending");
        }
        return Task.CompletedTask;
    }
}
