using VeloZ.Functions.Hosting;

return await ApiProgram.RunAsync(args);
