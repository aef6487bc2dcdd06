using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Campaigns.Tests.Infrastructure;

/// <summary>
/// A plain redis-server of the test process, for tests that publish jobs no worker may read while the graph runs on a
/// Redis Cluster (which has only database 0, every stream of it read by the workers). One per run, started on first
/// use, throwaway, stopped when the test process ends.
/// </summary>
public sealed class ScratchRedis
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private static readonly Lazy<Task<ScratchRedis>> Shared = new(StartAsync);

    private ScratchRedis(int port) => ConnectionString = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

    public string ConnectionString { get; }

    public static Task<ScratchRedis> SharedAsync(CancellationToken cancellationToken) => Shared.Value.WaitAsync(cancellationToken);

    private static async Task<ScratchRedis> StartAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var port = FreePort();
        var process = Process.Start(new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(process);
        var redis = new ScratchRedis(port);
        while (true)
        {
            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString).WaitAsync(timeout.Token);
                await connection.GetDatabase().PingAsync().WaitAsync(timeout.Token);
                return redis;
            }
            catch (RedisConnectionException) when (!process.HasExited)
            {
                await Task.Delay(100, timeout.Token);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Stop(Process process)
    {
        try
        {
            process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
