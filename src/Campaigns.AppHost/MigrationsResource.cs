using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace Campaigns.AppHost;

/// <summary>
/// The AppHost's <c>migrations</c> resource: the one-shot job the API and the workers wait for. Its name,
/// and how a graph started by the tests or the benchmark learns that it succeeded (or why it did not).
/// </summary>
public static class MigrationsResource
{
    public const string Name = "migrations";

    private const int ReasonLines = 30;

    /// <summary>
    /// Returns once the resource has exited with 0. Should it fail, the API and the workers never start,
    /// so this throws at once with the end of its log (the reason) instead of letting a health wait
    /// run into its timeout.
    /// </summary>
    public static async Task WaitForSuccessAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        var ended = await app.ResourceNotifications.WaitForResourceAsync(Name,
            e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), cancellationToken);
        if (ended.Snapshot.ExitCode is 0)
        {
            return;
        }

        var lines = await ResourceLog.ReadAsync(
            app.Services.GetRequiredService<ResourceLoggerService>(), ended.ResourceId, cancellationToken);
        // The service's last words are the reason (a critical line of its own, after the error with its
        // stack trace); else the first error and what follows; else the log's end.
        var lastWords = lines.FindLastIndex(line => line.Contains("crit:", StringComparison.Ordinal));
        var firstError = lastWords >= 0 ? lastWords : lines.FindIndex(line => line.Contains("fail:", StringComparison.Ordinal));
        var reason = firstError >= 0 ? lines.Skip(firstError).Take(ReasonLines) : lines.TakeLast(ReasonLines);
        throw new InvalidOperationException(
            $"The {Name} resource ended {ended.Snapshot.State?.Text} with exit code {ended.Snapshot.ExitCode?.ToString() ?? "none"}; "
            + $"the API and the workers wait for it. Its log says:{Environment.NewLine}"
            + string.Join(Environment.NewLine, reason));
    }
}
