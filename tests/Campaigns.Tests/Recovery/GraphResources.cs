using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Campaigns.Tests.Recovery;

/// <summary>Resource states, process ids and commands of a running graph (aspire-local.md, "Fault drills in tests").</summary>
public static class GraphResources
{
    public const string PidProperty = "executable.pid";

    /// <summary>The pid of the resource's <c>dotnet run</c> launcher.</summary>
    public static int LauncherPid(DistributedApplication app, string resource)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(resource, out var state), $"No state for {resource}");
        return PidOf(state) ?? throw new InvalidOperationException($"{resource} has no {PidProperty}");
    }

    public static int? PidOf(ResourceEvent state) =>
        state.Snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value is { } value
        && int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    public static string? StateOf(DistributedApplication app, string resource) =>
        app.ResourceNotifications.TryGetCurrentState(resource, out var state) ? state.Snapshot.State?.Text : null;

    /// <summary>The app itself: the only child of the launcher (found in /proc).</summary>
    public static int AppPid(DistributedApplication app, string resource)
    {
        var launcher = LauncherPid(app, resource);
        var children = ChildrenOf(launcher);
        Assert.True(children.Count == 1, $"{resource}'s launcher {launcher} has {children.Count} children");
        return children[0];
    }

    /// <summary>SIGKILLs the app (never the launcher, which would orphan it) and waits until DCP sees it gone.</summary>
    public static async Task KillAsync(DistributedApplication app, string resource, CancellationToken cancellationToken)
    {
        using var process = System.Diagnostics.Process.GetProcessById(AppPid(app, resource));
        process.Kill();
        await app.ResourceNotifications.WaitForResourceAsync(resource,
            e => e.Snapshot.State?.Text is "Finished" or "Exited" or "FailedToStart", cancellationToken);
    }

    /// <summary>Runs a resource command (start, stop, restart) and checks that it succeeded.</summary>
    public static async Task CommandAsync(DistributedApplication app, string resource, string command, CancellationToken cancellationToken)
    {
        var result = await app.ResourceCommands.ExecuteCommandAsync(resource, command, cancellationToken);
        Assert.True(result.Success, $"{command} {resource}: {result.Message}");
    }

    /// <summary>Waits for Running and Healthy with a launcher pid other than <paramref name="previousPid"/>.</summary>
    public static Task WaitForRestartAsync(DistributedApplication app, string resource, int previousPid, CancellationToken cancellationToken) =>
        app.ResourceNotifications.WaitForResourceAsync(resource, e =>
            e.Snapshot.State?.Text == KnownResourceStates.Running
            && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy
            && PidOf(e) is { } pid && pid != previousPid, cancellationToken);

    private static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }
            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        return children;
    }
}
