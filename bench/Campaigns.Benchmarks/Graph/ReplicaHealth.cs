using System.Net;
using Campaigns.Benchmarks.Processes;

namespace Campaigns.Benchmarks.Graph;

/// <summary>Waits for one replica of a project to answer <c>/health</c> on its own port (not through the proxy).</summary>
public static class ReplicaHealth
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    public static async Task WaitUntilHealthyAsync(Func<int?> appPid, int? launcherPid, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (appPid() is { } pid && pid != launcherPid && OwnAddress(pid) is { } address)
            {
                try
                {
                    using var response = await Http.GetAsync(new Uri(address, "/health"), cancellationToken);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Too slow to answer yet.
                }
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    /// <summary>The address a project process listens on, from the environment it was started with.</summary>
    public static Uri? OwnAddress(int pid)
    {
        var urls = ProcFs.EnvironmentVariable(pid, "ASPNETCORE_URLS");
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(u => u.StartsWith("http://", StringComparison.Ordinal));
        return first is not null && Uri.TryCreate(first, UriKind.Absolute, out var address) ? address : null;
    }
}
