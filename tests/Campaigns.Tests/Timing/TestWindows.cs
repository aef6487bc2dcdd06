using System.Globalization;

namespace Campaigns.Tests.Timing;

/// <summary>
/// Send windows computed from the test's own clock: a two-hour window around local noon in one fixed-offset zone
/// (open now) and the zone twelve hours away (local midnight: closed, opening about eleven hours from now).
/// </summary>
public sealed record TestWindows(string OpenZone, string ClosedZone, string Start, string End, DateTime ClosedZoneOpensAt)
{
    public object Window => new { start = Start, end = End };

    public static TestWindows AroundNow()
    {
        var now = DateTime.UtcNow;
        var openOffset = 12 - now.Hour; // -11 … 12: local time there is 12:mm
        var closedOffset = openOffset <= 0 ? openOffset + 12 : openOffset - 12; // local time there is 00:mm
        var openLocal = now.AddHours(openOffset);
        var start = openLocal.AddHours(-1).ToString("HH:mm", CultureInfo.InvariantCulture);
        var end = openLocal.AddHours(1).ToString("HH:mm", CultureInfo.InvariantCulture);
        var closedLocal = now.AddHours(closedOffset);
        var opening = closedLocal.Date + TimeSpan.ParseExact(start, @"hh\:mm", CultureInfo.InvariantCulture);
        if (opening <= closedLocal)
        {
            opening = opening.AddDays(1);
        }
        return new(Zone(openOffset), Zone(closedOffset), start, end, DateTime.SpecifyKind(opening.AddHours(-closedOffset), DateTimeKind.Utc));
    }

    /// <summary>The IANA name of a whole-hour offset from UTC (the Etc zones count west as positive).</summary>
    private static string Zone(int hoursEastOfUtc) => hoursEastOfUtc switch
    {
        0 => "Etc/UTC",
        > 0 => $"Etc/GMT-{hoursEastOfUtc}",
        _ => $"Etc/GMT+{-hoursEastOfUtc}",
    };
}
