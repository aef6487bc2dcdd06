using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Campaigns.Worker.Providers;

/// <summary>Each provider's circuit as its breaker last reported it (1 open or half-open, 0 closed), for the gauge.</summary>
public sealed class ProviderCircuitStates
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    public void Opened(string provider) => _open[provider] = 1;

    public void Closed(string provider) => _open[provider] = 0;

    public IEnumerable<Measurement<int>> Measure() =>
        _open.Select(p => new Measurement<int>(p.Value, new KeyValuePair<string, object?>("provider", p.Key)));
}
