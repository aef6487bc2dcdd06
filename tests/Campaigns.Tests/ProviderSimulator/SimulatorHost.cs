using System.Net;
using Campaigns.ProviderSimulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Campaigns.Tests.ProviderSimulator;

/// <summary>
/// The provider simulator in this process on a real Kestrel port (the worker's adapters use their own
/// socket handler), no graph: fixed credentials, no latency, receipts within 150 ms (far enough apart to arrive in order), and whatever rules
/// and settings a test adds.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    /// <summary>The latest a receipt falls due after its send was answered.</summary>
    public static readonly TimeSpan ReceiptDelayMax = TimeSpan.FromMilliseconds(150);

    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string AuthToken = "twilio-token";
    public const string Username = "sandbox";
    public const string ApiKey = "at-key";
    // Characters a query string must escape: the delivery URL has to carry it intact.
    public const string WebhookToken = "at-hook/token+1";
    public const string AccessToken = "wa-token";
    public const string PhoneNumberId = "106540352242922";
    public const string AppSecret = "wa-secret";

    private readonly WebApplicationFactory<SimulatorAssembly> _factory;

    private SimulatorHost(WebApplicationFactory<SimulatorAssembly> factory, Uri baseUrl)
    {
        _factory = factory;
        BaseUrl = baseUrl;
        Client = new HttpClient { BaseAddress = baseUrl };
    }

    public Uri BaseUrl { get; }

    /// <summary>A plain client of the simulator, for requests made by hand.</summary>
    public HttpClient Client { get; }

    /// <param name="publicBaseUrl">Where Africa's Talking's and WhatsApp's receipts go (<c>Webhooks:PublicBaseUrl</c>).</param>
    /// <param name="settings">More configuration, over the defaults.</param>
    public static SimulatorHost Start(Uri? publicBaseUrl, IReadOnlyDictionary<string, string?>? settings = null, params SimulatorRule[] rules)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Providers:Twilio:AccountSid"] = AccountSid,
            ["Providers:Twilio:AuthToken"] = AuthToken,
            ["Providers:AfricasTalking:Username"] = Username,
            ["Providers:AfricasTalking:ApiKey"] = ApiKey,
            ["Providers:AfricasTalking:WebhookToken"] = WebhookToken,
            ["Providers:WhatsAppCloud:AccessToken"] = AccessToken,
            ["Providers:WhatsAppCloud:PhoneNumberId"] = PhoneNumberId,
            ["Providers:WhatsAppCloud:AppSecret"] = AppSecret,
            ["Webhooks:PublicBaseUrl"] = publicBaseUrl?.AbsoluteUri,
            ["Simulator:MinLatencyMs"] = "0",
            ["Simulator:MaxLatencyMs"] = "0",
            ["Simulator:ReceiptDelayMinMs"] = "100",
            ["Simulator:ReceiptDelayMaxMs"] = ReceiptDelayMax.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Simulator:DuplicateRate"] = "0",
            ["Simulator:OutOfOrderRate"] = "0",
            ["Simulator:EarlyRate"] = "0",
            // One post at a time, in due order: on a busy machine two receipts both due would race.
            ["Simulator:ReceiptConcurrency"] = "1",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        for (var i = 0; i < rules.Length; i++)
        {
            foreach (var (key, value) in rules[i].Settings(i))
            {
                configuration[key] = value;
            }
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var factory = new WebApplicationFactory<SimulatorAssembly>().WithWebHostBuilder(web =>
        {
            foreach (var (key, value) in configuration.Where(setting => setting.Value is not null))
            {
                web.UseSetting(key, value);
            }
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorHost(factory, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}

/// <summary>One <c>Simulator:Rules</c> entry, as configuration.</summary>
public sealed record SimulatorRule(
    string Pattern, string Outcome = "accept", string? Receipt = null, string? Provider = null, string? ErrorCode = null, int? RetryAfterSeconds = null)
{
    public IEnumerable<KeyValuePair<string, string?>> Settings(int index)
    {
        var prefix = $"Simulator:Rules:{index}:";
        yield return new(prefix + "Pattern", Pattern);
        yield return new(prefix + "Outcome", Outcome);
        yield return new(prefix + "Receipt", Receipt);
        yield return new(prefix + "Provider", Provider);
        yield return new(prefix + "ErrorCode", ErrorCode);
        yield return new(prefix + "RetryAfterSeconds", RetryAfterSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
