using StackExchange.Redis;

namespace Campaigns.Worker.Delivery;

/// <summary>A message this worker has claimed (now <c>sending</c>), with the stream entries to acknowledge once its outcome is stored.</summary>
public sealed class ClaimedMessage
{
    public required long Id { get; init; }
    public required long CampaignId { get; init; }
    /// <summary>retry_count at claim time: the fence the outcome update checks.</summary>
    public required int RetryCount { get; init; }
    public required string Content { get; init; }
    public required string Channel { get; init; }
    public required string Phone { get; init; }
    public required RedisValue[] EntryIds { get; init; }
    public required JobBatch Batch { get; init; }

    /// <summary>The provider of the previous attempt (the router's memory), if any.</summary>
    public string? AttemptProvider { get; init; }

    /// <summary>Whether the previous attempt's outcome is unknown (retried only at its provider).</summary>
    public bool AttemptUnknown { get; init; }

    public Core.Domain.WhatsAppTemplate? Template { get; init; }

    public IReadOnlyList<string>? TemplateParameters { get; init; }

    /// <summary>Messages of this claim (this one included) with the same text: a bulk provider's hint.</summary>
    public int SameTextInClaim { get; init; } = 1;

    /// <summary>
    /// The last moment (a <see cref="System.Diagnostics.Stopwatch"/> timestamp) a provider call may start: the window's
    /// close or the validity's end. Null: no limit.
    /// </summary>
    public long? SendBy { get; init; }

    /// <summary>When the message stops being valid (a Stopwatch timestamp); null: never.</summary>
    public long? ValidUntil { get; init; }

    public int Attempt => RetryCount + 1;

    // The language model's text (or its stored fallback), once written for a personalized campaign (Personalization/).
    private string? _personalized;

    /// <summary>What goes to the provider: the personalized text when one was written, else the claimed rendering.</summary>
    public string Text => _personalized ?? Content;

    /// <summary>For <see cref="Personalization.PersonalizationStep"/>: the text this message now goes out with (stored already).</summary>
    public void Personalize(string text) => _personalized = text;

    /// <summary>Whether the window closed or the validity ended since the claim: then no call may start.</summary>
    public bool IsPastSendBy(long now) => SendBy is { } sendBy && now >= sendBy;

    public string IdempotencyKey => Sending.SendRequest.IdempotencyKeyFor(Id);

    /// <param name="traced">Whether the provider call gets its own span.</param>
    /// <param name="now">A Stopwatch timestamp: the remaining validity is counted from it.</param>
    public Sending.SendRequest ToRequest(bool traced, long now) => new(Id, Attempt, IdempotencyKey, Phone, Text)
    {
        ValidFor = ValidUntil is { } validUntil ? System.Diagnostics.Stopwatch.GetElapsedTime(now, validUntil) : null,
        Traced = traced,
        AttemptProvider = AttemptProvider,
        AttemptUnknown = AttemptUnknown,
        Template = Template,
        TemplateParameters = TemplateParameters,
        // A personalized text is its own: no other message of the claim shares it.
        SameTextInClaim = _personalized is null ? SameTextInClaim : 1,
    };
}
