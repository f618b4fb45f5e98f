package dev.tessera.core.config;

/** Settings of one relation type: which entity types it joins and how it is scored. */
public record RelationConfig(
        String name, String lhs, String rhs, OperatorName operator, double weight, boolean allNegs) {}
