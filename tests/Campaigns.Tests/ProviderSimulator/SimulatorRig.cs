using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Campaigns.Tests.ProviderSimulator;

/// <summary>A simulator, the webhook sink its receipts go to, and the worker's adapters pointed at it.</summary>
public sealed class SimulatorRig : IAsyncDisposable
{
    private SimulatorRig(ReceiptSink sink, SimulatorHost simulator, IHost adapters)
    {
        Sink = sink;
        Simulator = simulator;
        Adapters = adapters;
    }

    public ReceiptSink Sink { get; }

    public SimulatorHost Simulator { get; }

    public IHost Adapters { get; }

    /// <param name="adapterSettings">The adapters' configuration over the rig's (a shorter <c>Worker:SendTimeout</c>, say).</param>
    public static async Task<SimulatorRig> StartAsync(
        IReadOnlyDictionary<string, string?>? adapterSettings, CancellationToken cancellationToken, params SimulatorRule[] rules)
    {
        var sink = await ReceiptSink.StartAsync(cancellationToken);
        var simulator = SimulatorHost.Start(sink.BaseUrl, settings: null, rules);
        return new SimulatorRig(sink, simulator, SimulatorAdapters.Build(simulator, sink.BaseUrl, adapterSettings));
    }

    /// <summary>One of the worker's adapters (<c>TwilioClient</c>, <c>AfricasTalkingClient</c>, <c>WhatsAppCloudClient</c>).</summary>
    public T Adapter<T>() where T : notnull => Adapters.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Adapters.Dispose();
        await Simulator.DisposeAsync();
        await Sink.DisposeAsync();
    }
}
