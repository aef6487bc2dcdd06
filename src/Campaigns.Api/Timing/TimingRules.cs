using System.Globalization;
using Campaigns.Api.Validation;

namespace Campaigns.Api.Timing;

/// <summary>The field rules of a campaign's timing (api.md, "Timing"): its send window and its validity.</summary>
public static class TimingRules
{
    /// <summary>The longest validity taken: beyond a year a deadline protects nothing.</summary>
    public static readonly TimeSpan MaxValidity = TimeSpan.FromDays(365);

    public static void CheckSendWindow(ValidationErrors errors, SendWindow window)
    {
        var start = CheckTime(errors, "send_window.start", window.Start);
        var end = CheckTime(errors, "send_window.end", window.End);
        if (start is { } opens && end is { } closes && opens >= closes)
        {
            errors.Add("send_window", $"send_window.start ({window.Start}) must be before send_window.end ({window.End})");
        }
        if (window.Days is not { } days)
        {
            return;
        }
        if (days.Count == 0)
        {
            errors.Add("send_window.days", "send_window.days must name at least one day (leave it out for every day)");
        }
        foreach (var day in days)
        {
            if (!SendWindow.Weekdays.Contains(day))
            {
                errors.Add("send_window.days", $"send_window.days: '{day}' is not one of {string.Join(", ", SendWindow.Weekdays)}");
            }
        }
        if (days.Distinct(StringComparer.Ordinal).Count() != days.Count)
        {
            errors.Add("send_window.days", "send_window.days must not repeat a day");
        }
    }

    /// <returns>The validity as a duration, or null (with an error) when it is not one we take.</returns>
    public static TimeSpan? CheckValidity(ValidationErrors errors, string validity)
    {
        if (!IsoDuration.TryParse(validity, out var duration))
        {
            errors.Add("validity", $"validity must be an ISO 8601 duration of weeks, days, hours, minutes or seconds (PT6H, P1D); '{validity}' is not");
            return null;
        }
        if (duration <= TimeSpan.Zero || duration > MaxValidity)
        {
            errors.Add("validity", $"validity must be more than zero and at most {IsoDuration.Format(MaxValidity)}");
            return null;
        }
        return duration;
    }

    private static TimeOnly? CheckTime(ValidationErrors errors, string field, string? text)
    {
        if (text is { Length: 5 } && TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }
        errors.Add(field, $"{field} must be a local time as HH:MM (00:00 to 23:59)");
        return null;
    }
}
