/**
 * The part of TensorBoard's event schema (tensorboard/compat/proto/event.proto and summary.proto,
 * TensorFlow's tensorflow/core/util/event.proto and framework/summary.proto) that scalar logging
 * needs, as protobufjs parses it. Message and field numbers and types are TensorBoard's; fields and
 * messages Netwright never writes or reads are left out, and a reader skips them as unknown fields.
 * Kept as a string so the bundled main process needs no file beside it (as onnxSchema.ts).
 */
export const TENSORBOARD_EVENT_PROTO = `
// Trimmed from tensorboard/compat/proto/event.proto and summary.proto of TensorBoard
// (https://github.com/tensorflow/tensorboard). Copyright The TensorFlow Authors.
// SPDX-License-Identifier: Apache-2.0
syntax = "proto3";
package tensorboard;

message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    Summary summary = 5;
  }
}

message Summary {
  message Value {
    string tag = 1;
    oneof value {
      float simple_value = 2;
    }
  }
  repeated Value value = 1;
}
`;
