using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Campaigns.AppHost.Infrastructure;

/// <summary>
/// Adds Postgres and Redis as containers where a container runtime answers, else as local processes
/// with the same names, connection strings and health checks, so nothing downstream can tell. When
/// publishing (the manifest, docs/deploy.md), always as the standard containers, on named volumes,
/// their passwords secret parameters the deployment generates.
/// </summary>
public static class InfrastructureExtensions
{
    /// <summary>
    /// A secret the AppHost makes up: when running, generated once and kept beside the data
    /// (<see cref="InfrastructureOptions.PasswordFor"/>); when publishing, a secret parameter whose value
    /// the deployment tool generates (nothing written to disk, no value in the manifest).
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedSecret(
        this IDistributedApplicationBuilder builder, InfrastructureOptions options, string name) =>
        builder.ExecutionContext.IsPublishMode
            ? builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true)
            : builder.AddParameter(name, options.PasswordFor(name), secret: true);

    public static IResourceBuilder<IResourceWithConnectionString> AddCampaignsDatabase(
        this IDistributedApplicationBuilder builder, InfrastructureOptions options, string serverName, string databaseName)
    {
        var password = builder.AddGeneratedSecret(options, $"{serverName}-password");
        if (builder.ExecutionContext.IsPublishMode)
        {
            // Aspire creates a database only in a graph it runs; the image creates this one on first start.
            return builder.AddPostgres(serverName, password: password)
                .WithDataVolume($"campaigns-{serverName}-data")
                .WithEnvironment("POSTGRES_DB", databaseName)
                .AddDatabase(databaseName);
        }
        if (options.UseContainers)
        {
            return builder.AddPostgres(serverName, password: password)
                .WithDataBindMount(Path.Combine(options.DataDirectory, serverName))
                .WithFailFast()
                .AddDatabase(databaseName);
        }

        var server = new LocalPostgresServerResource(serverName, "bash", options.DataDirectory, password.Resource);
        var serverBuilder = builder.AddResource(server)
            .WithArgs(ScriptPath(builder, "postgres.sh"))
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "PGPORT", isProxied: false)
            // As root, the script keeps the data where the postgres user can reach it (scripts/postgres-data.sh).
            .WithEnvironment("PGDATA", Path.Combine(options.DataDirectory, serverName))
            .WithEnvironment("POSTGRES_PASSWORD", password)
            .WithEnvironment("POSTGRES_DATABASES", databaseName)
            .WithEnvironment("POSTGRES_EPHEMERAL", options.Ephemeral ? "true" : "false")
            .WithHealthCheck(AddHealthCheck(builder, serverName, new NpgsqlResourceHealthCheck(server)))
            .WithFailFast()
            .ExcludeFromManifest();

        return builder.AddLocalDatabase(serverBuilder, databaseName, databaseName, standby: false);
    }

    /// <summary>
    /// <c>Infrastructure:PostgresReplica</c>: a streaming standby of the local Postgres behind <paramref name="primary"/>
    /// (<c>pg_basebackup -R</c> through a replication slot, then a hot standby on a port of its own:
    /// scripts/postgres.sh), and on it the database <paramref name="name"/>, the same database as the primary's, read only,
    /// healthy once the standby accepts connections in recovery. Local processes only (never published: a deployment
    /// names a managed read replica, docs/deploy.md), and created afresh from the primary at each start of the AppHost.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddCampaignsDatabaseReplica(
        this IDistributedApplicationBuilder builder, InfrastructureOptions options, IResourceBuilder<IResourceWithConnectionString> primary,
        string serverName, string name)
    {
        if (primary.Resource is not LocalPostgresDatabaseResource { Parent: var primaryServer } database)
        {
            throw new DistributedApplicationException(
                "Infrastructure:PostgresReplica runs a standby of the local Postgres process: set Infrastructure:Mode=executables");
        }
        var dataDirectory = Path.Combine(options.DataDirectory, serverName);
        DeleteDataDirectory(dataDirectory);

        // The standby shares its primary's roles, the password with them.
        var server = new LocalPostgresServerResource(serverName, "bash", options.DataDirectory, primaryServer.Password);
        var serverBuilder = builder.AddResource(server)
            .WithArgs(ScriptPath(builder, "postgres.sh"))
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "PGPORT", isProxied: false)
            .WithEnvironment("PGDATA", dataDirectory)
            .WithEnvironment("POSTGRES_PASSWORD", builder.CreateResourceBuilder(primaryServer.Password))
            .WithEnvironment(context => context.EnvironmentVariables["POSTGRES_PRIMARY_PORT"] = primaryServer.Endpoint.Property(EndpointProperty.Port))
            .WithEnvironment("POSTGRES_STANDBY_SLOT", serverName.Replace('-', '_'))
            // Reads only, beside the primary on the same machine.
            .WithEnvironment("POSTGRES_SHARED_BUFFERS", "128MB")
            .WithEnvironment("POSTGRES_EPHEMERAL", options.Ephemeral ? "true" : "false")
            .WithHealthCheck(AddHealthCheck(builder, serverName, new NpgsqlResourceHealthCheck(server, standby: true)))
            .WaitFor(builder.CreateResourceBuilder(primaryServer))
            .WithFailFast()
            .ExcludeFromManifest();
        return builder.AddLocalDatabase(serverBuilder, name, database.DatabaseName, standby: true);
    }

    private static IResourceBuilder<IResourceWithConnectionString> AddLocalDatabase(this IDistributedApplicationBuilder builder,
        IResourceBuilder<LocalPostgresServerResource> serverBuilder, string name, string databaseName, bool standby)
    {
        var server = serverBuilder.Resource;
        var database = new LocalPostgresDatabaseResource(name, databaseName, server);
        builder.Eventing.Subscribe<InitializeResourceEvent>(database, (@event, ct) =>
        {
            // Aspire copies a parent's state to its children only for containers: mirror it here,
            // or WaitFor(database) would wait forever.
            _ = MirrorParentStateAsync(@event.Notifications, server, database, ct);
            return Task.CompletedTask;
        });
        return builder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot { ResourceType = "PostgresDatabase", Properties = [] })
            .WithHealthCheck(AddHealthCheck(builder, name, new NpgsqlResourceHealthCheck(database, standby)))
            .WithParentRelationship(serverBuilder)
            .ExcludeFromManifest();
    }

    /// <summary>
    /// Deletes a server's data folder: the folder itself, or (as root, scripts/postgres-data.sh) the link to where the data
    /// lives, which the script then removes as no folder's.
    /// </summary>
    private static void DeleteDataDirectory(string directory)
    {
        var info = new DirectoryInfo(directory);
        if (info.LinkTarget is not null)
        {
            info.Delete();
        }
        else if (info.Exists)
        {
            info.Delete(recursive: true);
        }
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddCampaignsRedis(
        this IDistributedApplicationBuilder builder, InfrastructureOptions options, string name)
    {
        var password = builder.AddGeneratedSecret(options, $"{name}-password");
        if (builder.ExecutionContext.IsPublishMode)
        {
            // The queue: kept across restarts (the worker would requeue everything from Postgres otherwise).
            return builder.AddRedis(name, password: password)
                .WithDataVolume($"campaigns-{name}-data")
                .WithPersistence();
        }
        if (options.RedisCluster)
        {
            return builder.AddLocalRedisCluster(options, name, password);
        }
        if (options.UseContainers)
        {
            var redis = builder.AddRedis(name, password: password).WithFailFast();
            return options.Ephemeral ? redis : redis.WithDataBindMount(Path.Combine(options.DataDirectory, name)).WithPersistence();
        }

        var server = new LocalRedisResource(name, "bash", options.DataDirectory, password.Resource);
        var serverBuilder = builder.AddResource(server)
            .WithArgs(ScriptPath(builder, "redis.sh"))
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "REDIS_PORT", isProxied: false)
            .WithEnvironment("REDIS_PASSWORD", password)
            .WithHealthCheck(AddHealthCheck(builder, name, new RedisResourceHealthCheck(server)))
            .WithFailFast()
            .ExcludeFromManifest();
        if (!options.Ephemeral)
        {
            serverBuilder.WithEnvironment("REDIS_DATA", Path.Combine(options.DataDirectory, name));
        }
        return serverBuilder;
    }

    /// <summary>
    /// The local Redis Cluster: <see cref="InfrastructureOptions.RedisClusterMasters"/> masters and their replicas, each a
    /// redis-server of its own (<c>{name}-0</c>, <c>{name}-1</c>…, the masters first), joined by the <paramref name="name"/>
    /// resource, which carries the connection string and waits for <c>cluster_state:ok</c>. Local processes whatever the
    /// mode (the container resource has no cluster), and created afresh at each start of the AppHost: like a flushed
    /// Redis, the worker then queues every queued message again from Postgres.
    /// </summary>
    private static IResourceBuilder<IResourceWithConnectionString> AddLocalRedisCluster(
        this IDistributedApplicationBuilder builder, InfrastructureOptions options, string name, IResourceBuilder<ParameterResource> password)
    {
        var clusterDirectory = Path.Combine(options.DataDirectory, $"{name}-cluster");
        if (Directory.Exists(clusterDirectory))
        {
            Directory.Delete(clusterDirectory, recursive: true);
        }
        var count = InfrastructureOptions.RedisClusterMasters * (1 + options.RedisClusterReplicas);
        var nodes = Enumerable.Range(0, count)
            .Select(i => new LocalRedisNodeResource($"{name}-{i}", "bash", options.DataDirectory))
            .ToList();
        var cluster = new LocalRedisClusterResource(name, "bash", options.DataDirectory, password.Resource, nodes,
            InfrastructureOptions.RedisClusterMasters);
        var clusterBuilder = builder.AddResource(cluster)
            .WithArgs(ScriptPath(builder, "redis-cluster.sh"))
            .WithEnvironment("REDIS_PASSWORD", password)
            .WithEnvironment("REDIS_CLUSTER_NODES", cluster.NodeAddresses)
            .WithEnvironment("REDIS_CLUSTER_REPLICAS", options.RedisClusterReplicas.ToString(CultureInfo.InvariantCulture))
            .WithHealthCheck(AddHealthCheck(builder, name, new RedisResourceHealthCheck(cluster, cluster: true)))
            .WithFailFast()
            .ExcludeFromManifest();
        foreach (var node in nodes)
        {
            var nodeBuilder = builder.AddResource(node)
                .WithArgs(ScriptPath(builder, "redis.sh"))
                .WithEndpoint(name: "tcp", scheme: "tcp", env: "REDIS_PORT", isProxied: false)
                .WithEndpoint(name: "bus", scheme: "tcp", env: "REDIS_CLUSTER_PORT", isProxied: false)
                .WithEnvironment("REDIS_PASSWORD", password)
                .WithEnvironment("REDIS_NODE_DIR", Path.Combine(clusterDirectory, node.Name))
                .WithEnvironment("REDIS_CLUSTER_NODE_TIMEOUT",
                    ((long)options.RedisClusterNodeTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture))
                .WithParentRelationship(clusterBuilder)
                .WithFailFast()
                .ExcludeFromManifest();
            clusterBuilder.WaitFor(nodeBuilder);
        }
        return clusterBuilder;
    }

    private static string ScriptPath(IDistributedApplicationBuilder builder, string script) =>
        Path.Combine(builder.AppHostDirectory, "Infrastructure", "scripts", script);

    private static string AddHealthCheck(IDistributedApplicationBuilder builder, string resourceName, IHealthCheck check)
    {
        var key = $"{resourceName}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(key, check, failureStatus: null, tags: null));
        return key;
    }

    private static async Task MirrorParentStateAsync(
        ResourceNotificationService notifications, IResource parent, IResource child, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken))
            {
                if (!ReferenceEquals(update.Resource, parent))
                {
                    continue;
                }
                await notifications.PublishUpdateAsync(child, snapshot => snapshot with
                {
                    State = update.Snapshot.State,
                    StartTimeStamp = update.Snapshot.StartTimeStamp,
                    StopTimeStamp = update.Snapshot.StopTimeStamp,
                    ExitCode = update.Snapshot.ExitCode,
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The application is stopping.
        }
    }
}
