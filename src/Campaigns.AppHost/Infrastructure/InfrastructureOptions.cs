using Microsoft.Extensions.Configuration;
using System.Diagnostics;

namespace Campaigns.AppHost.Infrastructure;

public enum InfrastructureMode { Auto, Containers, Executables }

/// <summary>
/// Where Postgres and Redis come from (<c>Infrastructure:</c> configuration):
/// <c>Mode</c> auto | containers | executables, <c>DataDirectory</c> for local processes' data (as root,
/// Postgres's own lives where its user can reach it: scripts/postgres-data.sh), <c>Ephemeral</c> for
/// throwaway data (tests); <c>RedisCluster</c> for a local Redis Cluster instead of the single Redis
/// (<c>RedisClusterReplicas</c> per master, failing over after <c>RedisClusterNodeTimeout</c>); <c>PostgresReplica</c>
/// for a local streaming standby the API's list reads go to.
/// </summary>
public sealed record InfrastructureOptions(bool UseContainers, string DataDirectory, bool Ephemeral)
{
    /// <summary>Run Redis as a local cluster of <see cref="RedisClusterMasters"/> masters (local processes, never published).</summary>
    public bool RedisCluster { get; init; }

    public const int RedisClusterMasters = 3;

    /// <summary>Replicas of each master (0–2): with one, a master that dies is replaced by its replica.</summary>
    public int RedisClusterReplicas { get; init; }

    /// <summary>How long a master may be unreachable before its replica takes over (Redis's <c>cluster-node-timeout</c>).</summary>
    public TimeSpan RedisClusterNodeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Run a streaming standby of the local Postgres (<c>postgres-replica</c>) and give the API its database as
    /// <c>campaignsdb-replica</c> (local processes only, never published).
    /// </summary>
    public bool PostgresReplica { get; init; }

    public static InfrastructureOptions From(IDistributedApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Infrastructure");
        var mode = Enum.TryParse<InfrastructureMode>(section["Mode"], ignoreCase: true, out var parsed)
            ? parsed
            : InfrastructureMode.Auto;
        // Publishing describes containers whatever this machine has: nothing to ask.
        var useContainers = builder.ExecutionContext.IsPublishMode || mode switch
        {
            InfrastructureMode.Containers => true,
            InfrastructureMode.Executables => false,
            _ => ContainerRuntimeAnswers(),
        };
        var dataDirectory = section["DataDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "..", ".data"));
        return new(useContainers, dataDirectory, section.GetValue("Ephemeral", false))
        {
            RedisCluster = section.GetValue("RedisCluster", false),
            RedisClusterReplicas = Math.Clamp(section.GetValue("RedisClusterReplicas", 0), 0, 2),
            RedisClusterNodeTimeout = section.GetValue("RedisClusterNodeTimeout", TimeSpan.FromSeconds(5)),
            PostgresReplica = section.GetValue("PostgresReplica", false),
        };
    }

    /// <summary>
    /// A password kept beside the data it protects, so data that survives a restart keeps working,
    /// and deleting the data folder starts afresh.
    /// </summary>
    public string PasswordFor(string resourceName) =>
        PasswordFile.ReadOrCreate(Path.Combine(DataDirectory, "secrets", $"{resourceName}.password"));

    // Guessing wrong is expensive (containers that never start leave dependants waiting forever),
    // so "auto" asks the runtime itself, briefly.
    private static bool ContainerRuntimeAnswers()
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") is { Length: > 0 } name ? name : "docker";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no such program
        }
    }
}
