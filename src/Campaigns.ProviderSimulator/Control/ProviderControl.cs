using System.Collections.Concurrent;
using Campaigns.ProviderSimulator.Sending;

namespace Campaigns.ProviderSimulator.Control;

/// <summary>Each provider's mode and count of send calls, for tests and drills; process-wide, in memory.</summary>
public sealed class ProviderControl
{
    private readonly ConcurrentDictionary<string, ModeSetting> _modes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter> _calls =
        new(ProviderNames.All.Select(name => KeyValuePair.Create(name, new Counter())), StringComparer.Ordinal);

    /// <summary>Counts one send request (whatever its answer) and returns the provider's mode.</summary>
    public ModeSetting Called(string provider)
    {
        Interlocked.Increment(ref _calls[provider].Value);
        return ModeOf(provider);
    }

    public ModeSetting ModeOf(string provider) => _modes.TryGetValue(provider, out var setting) ? setting : ModeSetting.Up;

    public void SetMode(string provider, ModeSetting setting) => _modes[provider] = setting;

    public IReadOnlyDictionary<string, ModeSetting> Modes => ProviderNames.All.ToDictionary(name => name, ModeOf);

    public IReadOnlyDictionary<string, long> Calls => _calls.ToDictionary(entry => entry.Key, entry => Interlocked.Read(ref entry.Value.Value));

    /// <summary>Every provider up, every count zero.</summary>
    public void Reset()
    {
        _modes.Clear();
        foreach (var counter in _calls.Values)
        {
            Interlocked.Exchange(ref counter.Value, 0);
        }
    }

    private sealed class Counter
    {
        public long Value;
    }
}
