using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Campaigns.Tests.Infrastructure;

namespace Campaigns.Tests.Foundation;

/// <summary>
/// Postgres or Redis that cannot start (here: its port is taken) stops the graph's start at once with
/// the server's own reason, where it used to leave everything waiting on it until the timeout.
/// </summary>
public sealed class ServerStartFailureTests
{
    [Theory]
    [InlineData("postgres", "could not create any TCP/IP sockets")]
    [InlineData("redis", "Address already in use")]
    public async Task A_server_whose_port_is_taken_fails_the_start_with_its_reason(string server, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        // Every address of the port, as the servers listen on both 127.0.0.1 and ::1.
        using var squatter = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        squatter.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        squatter.Listen();
        var port = ((IPEndPoint)squatter.LocalEndPoint!).Port;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CampaignsGraph.StartAsync(builder =>
            builder.CreateResourceBuilder<ExecutableResource>(server).WithEndpoint("tcp", endpoint => endpoint.Port = port), ct));

        // The server's own stop and reason, reported as it happens: waiting it out would end in the start's timeout instead
        // (no clock here: on a loaded machine starting the graph alone can take a minute).
        Assert.StartsWith($"{server} stopped (", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }
}
