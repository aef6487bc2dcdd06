namespace Campaigns.Worker.Delivery;

/// <summary>
/// This process's consumer name in the stream's group: unique per process (machine, pid, random), so
/// replicas and restarts never share a pending list.
/// </summary>
public sealed class ConsumerIdentity
{
    public string Name { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
}
