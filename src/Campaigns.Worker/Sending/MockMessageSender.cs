using Campaigns.Core.Domain;
using System.Text.RegularExpressions;
using Campaigns.Worker.Options;
using Microsoft.Extensions.Options;

namespace Campaigns.Worker.Sending;

/// <summary>
/// The provider of the original design: 50–200 ms latency, 92% success (configurable under
/// <c>Sender:</c>). Recipients matching a forced-failure pattern always fail, so tests sharing one
/// graph get deterministic outcomes without reconfiguring it.
/// </summary>
public sealed class MockMessageSender(string channel, IOptions<SenderOptions> options) : IMessageSender
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private readonly SenderOptions _options = options.Value;
    private readonly Regex? _forcedTransient = Compile(options.Value.ForcedTransientFailurePattern);
    private readonly Regex? _forcedPermanent = Compile(options.Value.ForcedPermanentFailurePattern);

    public string Channel { get; } = channel;

    public const string Name = ProviderName.Mock;

    public async ValueTask<SendResult> SendAsync(SendRequest request, CancellationToken cancellationToken) =>
        await DecideAsync(request, cancellationToken) with { Provider = Name };

    private async ValueTask<SendResult> DecideAsync(SendRequest request, CancellationToken cancellationToken)
    {
        var latency = Random.Shared.Next(_options.MinLatencyMs, _options.MaxLatencyMs + 1);
        await Task.Delay(latency, cancellationToken);

        if (_forcedPermanent?.IsMatch(request.Phone) == true)
        {
            return SendResult.Permanent("invalid recipient (forced)");
        }
        if (_forcedTransient?.IsMatch(request.Phone) == true)
        {
            return SendResult.Transient("provider unavailable (forced)");
        }
        return Random.Shared.NextDouble() < _options.SuccessRate
            ? SendResult.Sent
            : SendResult.Transient("provider timeout");
    }

    private static Regex? Compile(string? pattern) => string.IsNullOrEmpty(pattern)
        ? null
        : new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, RegexTimeout);
}
