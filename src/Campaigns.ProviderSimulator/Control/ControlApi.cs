using Campaigns.ProviderSimulator.Options;
using Campaigns.ProviderSimulator.Receipts;
using Campaigns.ProviderSimulator.Sending;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Campaigns.ProviderSimulator.Control;

/// <summary>
/// The simulator's own endpoints, for tests and drills (no provider has them):
/// <list type="bullet">
/// <item><c>GET /control/calls</c>: send requests received per provider, whatever their answer: <c>{"twilio": 3, …}</c>.</item>
/// <item><c>GET /control/providers</c>: each provider's mode: <c>{"twilio": {"mode": "up", "retry_after_seconds": 1}, …}</c>.</item>
/// <item><c>PUT /control/providers/{provider}</c> with <c>{"mode": "up" | "unavailable" | "rate_limited", "retry_after_seconds": 5}</c>:
/// <c>unavailable</c> answers every send 503, <c>rate_limited</c> 429 with that <c>Retry-After</c>.</item>
/// <item><c>GET /control/receipts</c>: receipts pending, posted, retried, refused (4xx), abandoned and dropped.</item>
/// <item><c>PUT /control/receipts/hold</c> with <c>{"held": true | false}</c>: while held no receipt is posted; they
/// gather (due times kept) and go out when released.</item>
/// <item><c>POST /control/reset</c>: every provider up, receipts released, every counter zero (pending receipts stay).</item>
/// </list>
/// </summary>
public static class ControlApi
{
    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/control").WithTags("Control");
        control.MapGet("/calls", (ProviderControl providers) => TypedResults.Ok(providers.Calls)).WithName("GetCalls");
        control.MapGet("/providers", (ProviderControl providers) => TypedResults.Ok(Modes(providers))).WithName("GetModes");
        control.MapPut("/providers/{provider}", SetMode).WithName("SetMode");
        control.MapGet("/receipts", (ReceiptCounters counters, ReceiptQueue queue) => TypedResults.Ok(counters.Read(queue.Count))).WithName("GetReceipts");
        control.MapPut("/receipts/hold", SetHold).WithName("SetReceiptHold");
        control.MapPost("/reset", Reset).WithName("Reset");
        return app;
    }

    private static Results<Ok<ModeView>, NotFound, BadRequest<string>> SetMode(
        string provider, ModeRequest request, ProviderControl providers, ILogger<ProviderControl> logger)
    {
        if (!ProviderNames.All.Contains(provider))
        {
            return TypedResults.NotFound();
        }
        if (!ConfigNames.TryParse<ProviderMode>(request.Mode, out var mode))
        {
            return TypedResults.BadRequest("mode must be one of up, unavailable, rate_limited");
        }
        if (request.RetryAfterSeconds is < 1 or > 3_600)
        {
            return TypedResults.BadRequest("retry_after_seconds must be between 1 and 3600");
        }
        var setting = new ModeSetting(mode, request.RetryAfterSeconds ?? 1);
        providers.SetMode(provider, setting);
        Log.ModeSet(logger, provider, ConfigNames.Of(mode), setting.RetryAfterSeconds);
        return TypedResults.Ok(View(setting));
    }

    private static Results<Ok<HoldView>, BadRequest<string>> SetHold(HoldRequest request, ReceiptQueue queue, ILogger<ProviderControl> logger)
    {
        if (request.Held is not { } held)
        {
            return TypedResults.BadRequest("held must be true or false");
        }
        queue.Held = held;
        Log.ReceiptsHeld(logger, held, queue.Count);
        return TypedResults.Ok(new HoldView(held, queue.Count));
    }

    private static NoContent Reset(ProviderControl providers, ReceiptCounters counters, ReceiptQueue queue, ILogger<ProviderControl> logger)
    {
        providers.Reset();
        queue.Held = false;
        counters.Reset();
        Log.ControlReset(logger);
        return TypedResults.NoContent();
    }

    private static Dictionary<string, ModeView> Modes(ProviderControl providers) =>
        providers.Modes.ToDictionary(entry => entry.Key, entry => View(entry.Value));

    private static ModeView View(ModeSetting setting) => new(ConfigNames.Of(setting.Mode), setting.RetryAfterSeconds);

    public sealed record ModeRequest(string? Mode, int? RetryAfterSeconds);

    public sealed record ModeView(string Mode, int RetryAfterSeconds);

    public sealed record HoldRequest(bool? Held);

    public sealed record HoldView(bool Held, int Pending);
}
