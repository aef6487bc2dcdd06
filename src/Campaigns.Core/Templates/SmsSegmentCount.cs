namespace Campaigns.Core.Templates;

/// <summary>
/// What an SMS body costs: its <see cref="SmsEncoding"/>, its length in that encoding's units
/// (GSM-7 septets or UTF-16 code units) and how many message segments it is billed as.
/// </summary>
public readonly record struct SmsSegmentCount(string Encoding, int Characters, int Segments);
