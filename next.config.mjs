/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // pg, the Prisma runtime and the rate limiter (which runs on pg's pool) are Node libraries; let Node load them instead of bundling.
  serverExternalPackages: ['pg', '@prisma/adapter-pg', '@prisma/client', 'rate-limiter-flexible'],
  typedRoutes: false,
};

export default nextConfig;
