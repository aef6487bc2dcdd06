using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Campaigns.Api.Timing;

/// <summary>
/// A campaign's send window in each recipient's local time: <c>start</c> and <c>end</c> as <c>HH:MM</c>
/// (start before end), <c>days</c> the weekdays it opens on (<c>mon</c> … <c>sun</c>; absent: every day).
/// Stored as this JSON in <c>campaigns.send_window</c>, which the window SQL (<c>send_window_at</c>) reads.
/// </summary>
public sealed record SendWindow(
    [property: Required] string? Start,
    [property: Required] string? End,
    IReadOnlyList<string>? Days = null)
{
    /// <summary>The weekdays in order, as the window SQL spells them (Postgres <c>to_char(…, 'dy')</c>).</summary>
    public static readonly IReadOnlyList<string> Weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    private static readonly JsonSerializerOptions StoredForm = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Days in week order without repeats (the stored and answered form).</summary>
    public SendWindow Normalized() =>
        this with { Days = Days is null ? null : [.. Weekdays.Where(Days.Contains)] };

    public string ToJson() => JsonSerializer.Serialize(this, StoredForm);

    public static SendWindow? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<SendWindow>(json, StoredForm);
}
