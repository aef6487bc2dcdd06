namespace Campaigns.AppHost.Infrastructure;

/// <summary>
/// One node of the local Redis Cluster: a redis-server with cluster mode on, its client port (<c>tcp</c>) and its
/// cluster bus (<c>bus</c>) both allocated by Aspire. The resource's process is the redis-server itself
/// (scripts/redis.sh execs it), so its <c>executable.pid</c> is the node.
/// </summary>
public sealed class LocalRedisNodeResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory)
{
    public EndpointReference Endpoint => new(this, "tcp");

    /// <summary><c>host:port</c>, as the other nodes and the clients reach it.</summary>
    public ReferenceExpression Address => ReferenceExpression.Create(
        $"{Endpoint.Property(EndpointProperty.Host)}:{Endpoint.Property(EndpointProperty.Port)}");
}

/// <summary>
/// The local Redis Cluster (<c>Infrastructure:RedisCluster</c>): its process joins the nodes once they answer
/// (scripts/redis-cluster.sh) and stays up; it is healthy once the cluster reports <c>cluster_state:ok</c>. Its
/// connection string names every master, so a client finds the cluster from any of them.
/// </summary>
public sealed class LocalRedisClusterResource(
    string name, string command, string workingDirectory, ParameterResource password, IReadOnlyList<LocalRedisNodeResource> nodes, int masters)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ParameterResource Password { get; } = password;

    /// <summary>Every node, the masters first (<c>redis-cli --cluster create</c> makes the first ones masters).</summary>
    public IReadOnlyList<LocalRedisNodeResource> Nodes { get; } = nodes;

    public ReferenceExpression ConnectionStringExpression
    {
        get
        {
            var builder = new ReferenceExpressionBuilder();
            foreach (var master in Nodes.Take(masters))
            {
                builder.Append($"{master.Address},");
            }
            builder.Append($"password={Password}");
            return builder.Build();
        }
    }

    /// <summary>Every node's address, separated by spaces, as <c>redis-cli --cluster create</c> takes them.</summary>
    public ReferenceExpression NodeAddresses
    {
        get
        {
            var builder = new ReferenceExpressionBuilder();
            for (var i = 0; i < Nodes.Count; i++)
            {
                builder.Append($"{(i == 0 ? "" : " ")}{Nodes[i].Address}");
            }
            return builder.Build();
        }
    }
}
