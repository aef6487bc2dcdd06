namespace Campaigns.Core;

/// <summary>Code both the API and the worker use: templates, the SMS segment counter, the queue envelope.</summary>
public static class CoreAssembly;
