global using ZeroPark.Application.Users;
global using ZeroPark.Application.Dashboards;
