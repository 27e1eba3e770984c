using VeloZ.SimVenue.Host;

return await HostRunner.RunAsync(args);
