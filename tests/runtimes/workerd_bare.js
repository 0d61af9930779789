// A worker without cotangent: the bench's baseline for workerd's own start-up time.
export default {
  async fetch() {
    return Response.json({ grad: [] });
  },
};
