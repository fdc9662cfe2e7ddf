package dev.winnow.flink.model;

import dev.winnow.runtime.Model;

/** A loaded model ready to score records in one subtask, and the registry version it came from. */
public interface ServingModel {
    Model model();

    int version();
}
