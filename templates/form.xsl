<?xml version="1.0" encoding="UTF-8"?>
<!-- The new/edit form of any admin resource (fcgi-app/resource/): one
     field per column by its type (text, integer, checkbox, choice,
     reference), each with its message when the server refused it, and a
     banner saying why nothing was saved. Everything comes from
     /page/res/form (resource/doc.c). Delete is a separate POST form. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:i="urn:cc:i18n" exclude-result-prefixes="i">
  <xsl:import href="layout.xsl"/>

  <xsl:template match="/page" mode="title">
    <xsl:call-template name="heading"/>
  </xsl:template>

  <xsl:template match="/page" mode="scripts">
    <script src="/cc/static/resource.js" defer="defer"></script>
  </xsl:template>

  <xsl:template name="heading">
    <xsl:call-template name="fill">
      <xsl:with-param name="text">
        <xsl:choose>
          <xsl:when test="/page/res/form/@mode = 'edit'"><xsl:value-of select="i:t('res.edit_item')"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="i:t('res.new_item')"/></xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="value" select="i:t(/page/res/@item)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/page" mode="main">
    <xsl:variable name="res" select="res"/>
    <xsl:variable name="form" select="res/form"/>
    <div class="console" id="res" data-res="{$res/@name}" data-view="form" data-mode="{$form/@mode}"
         data-key="{$form/@key}">
      <xsl:call-template name="side-nav"/>
      <div class="console-main">
        <div class="page-head">
          <h1 id="res-heading"><xsl:call-template name="heading"/></h1>
          <a class="btn btn-quiet" id="res-back" href="{$res/@base}"><xsl:value-of select="i:t('res.back')"/></a>
        </div>
        <xsl:if test="$form/@banner">
          <div class="alert alert-error" id="res-error" role="alert" data-reason="{$form/@banner}">
            <xsl:value-of select="i:t($form/@banner)"/>
          </div>
        </xsl:if>
        <xsl:if test="$form/users">
          <section class="panel" id="res-users">
            <h2><xsl:value-of select="i:t('res.used_by')"/></h2>
            <ul class="res-users">
              <xsl:for-each select="$form/users/user">
                <li data-item="{@item}" data-key="{@key}">
                  <span class="res-user-type"><xsl:value-of select="i:t(@item)"/></span>
                  <xsl:text> </xsl:text>
                  <xsl:choose>
                    <xsl:when test="@href"><a href="{@href}"><xsl:value-of select="@label"/></a></xsl:when>
                    <xsl:otherwise><xsl:value-of select="@label"/></xsl:otherwise>
                  </xsl:choose>
                </li>
              </xsl:for-each>
            </ul>
          </section>
        </xsl:if>
        <section class="panel">
          <form method="post" action="{$form/@action}" id="res-form">
            <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
            <div class="form-grid">
              <xsl:apply-templates select="$form/field"/>
            </div>
            <xsl:apply-templates select="$form/link"/>
            <div class="form-actions">
              <button type="submit" class="btn btn-primary" id="res-save"><xsl:value-of select="i:t('res.save')"/></button>
              <a class="btn btn-quiet" id="res-cancel" href="{$res/@base}"><xsl:value-of select="i:t('res.cancel')"/></a>
            </div>
          </form>
          <xsl:if test="$form/@delete">
            <form method="post" action="{$form/@delete}" class="res-delete form-delete" id="res-delete"
                  data-confirm="{i:t('res.confirm_delete')}">
              <input type="hidden" name="_csrf" value="{/page/@csrf}"/>
              <button type="submit" class="btn btn-warn" id="res-delete-btn"><xsl:value-of select="i:t('res.delete')"/></button>
            </form>
          </xsl:if>
        </section>
      </div>
    </div>
  </xsl:template>

  <xsl:template match="field">
    <div class="field field-{@type}" data-col="{@name}">
      <xsl:if test="@error"><xsl:attribute name="class">field field-<xsl:value-of select="@type"/> has-error</xsl:attribute></xsl:if>
      <xsl:choose>
        <xsl:when test="@type = 'bool'">
          <label class="check" for="f-{@name}">
            <input type="checkbox" id="f-{@name}" name="{@name}" value="1">
              <xsl:if test="@value = '1'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
            </input>
            <xsl:text> </xsl:text>
            <xsl:value-of select="i:t(@label)"/>
          </label>
        </xsl:when>
        <xsl:otherwise>
          <label for="f-{@name}">
            <xsl:value-of select="i:t(@label)"/>
            <xsl:if test="@required"><span class="req" aria-hidden="true">*</span></xsl:if>
          </label>
          <xsl:apply-templates select="." mode="input"/>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="@hint"><div class="field-hint"><xsl:value-of select="i:t(@hint)"/></div></xsl:if>
      <xsl:if test="option[@hint]">
        <ul class="field-hint choice-hints" id="hints-{@name}">
          <xsl:for-each select="option[@hint]">
            <li data-value="{@value}"><strong><xsl:value-of select="i:t(@key)"/></strong><xsl:text>：</xsl:text><xsl:value-of select="i:t(@hint)"/></li>
          </xsl:for-each>
        </ul>
      </xsl:if>
      <div class="field-error" id="err-{@name}"><xsl:value-of select="@error"/></div>
    </div>
  </xsl:template>

  <xsl:template match="field[@type = 'text']" mode="input">
    <input type="text" id="f-{@name}" name="{@name}" value="{@value}" maxlength="{@max}">
      <xsl:if test="@required"><xsl:attribute name="required">required</xsl:attribute></xsl:if>
    </input>
  </xsl:template>

  <xsl:template match="field[@type = 'phone']" mode="input">
    <input type="tel" id="f-{@name}" name="{@name}" value="{@value}" maxlength="{@max}">
      <xsl:if test="@required"><xsl:attribute name="required">required</xsl:attribute></xsl:if>
    </input>
  </xsl:template>

  <!-- A many-to-many link: a box per row it may name, with a level. The
       hidden _link says the form has the section (no box ticked: none). -->
  <xsl:template match="link">
    <fieldset class="res-link" id="link-{@name}" data-link="{@name}">
      <xsl:if test="@error"><xsl:attribute name="class">res-link has-error</xsl:attribute></xsl:if>
      <legend><xsl:value-of select="i:t(@label)"/></legend>
      <input type="hidden" name="_link" value="{@name}"/>
      <xsl:if test="@hint"><div class="field-hint"><xsl:value-of select="i:t(@hint)"/></div></xsl:if>
      <xsl:variable name="link" select="."/>
      <xsl:choose>
        <xsl:when test="option">
          <table class="table res-link-table">
            <tbody>
              <xsl:for-each select="option">
                <tr data-key="{@value}">
                  <td>
                    <label class="check" for="l-{$link/@name}-{@value}">
                      <input type="checkbox" id="l-{$link/@name}-{@value}" name="{$link/@name}" value="{@value}">
                        <xsl:if test="@checked"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
                      </input>
                      <xsl:text> </xsl:text>
                      <xsl:value-of select="@label"/>
                    </label>
                  </td>
                  <xsl:if test="$link/@level-label">
                    <td>
                      <label for="lv-{$link/@name}-{@value}"><xsl:value-of select="i:t($link/@level-label)"/></label>
                      <xsl:text> </xsl:text>
                      <input type="number" class="res-level" id="lv-{$link/@name}-{@value}" name="{$link/@name}.level.{@value}"
                             value="{@level}" min="{$link/@level-min}" max="{$link/@level-max}" step="1"/>
                    </td>
                  </xsl:if>
                  <xsl:if test="@href">
                    <td><a href="{@href}" class="res-link-open"><xsl:value-of select="i:t('res.open')"/></a></td>
                  </xsl:if>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </xsl:when>
        <xsl:otherwise><p class="muted"><xsl:value-of select="i:t('res.link_none')"/></p></xsl:otherwise>
      </xsl:choose>
      <div class="field-error" id="err-{@name}"><xsl:value-of select="@error"/></div>
    </fieldset>
  </xsl:template>

  <xsl:template match="field[@type = 'int']" mode="input">
    <input type="number" id="f-{@name}" name="{@name}" value="{@value}" min="{@min}" max="{@max}" step="1">
      <xsl:if test="@required"><xsl:attribute name="required">required</xsl:attribute></xsl:if>
    </input>
  </xsl:template>

  <!-- A choice (catalogue labels) or a reference (labels from its rows). -->
  <xsl:template match="field" mode="input">
    <xsl:variable name="value" select="string(@value)"/>
    <select id="f-{@name}" name="{@name}">
      <xsl:if test="@required"><xsl:attribute name="required">required</xsl:attribute></xsl:if>
      <xsl:if test="not(@required) or $value = ''">
        <option value=""><xsl:value-of select="i:t('res.none')"/></option>
      </xsl:if>
      <xsl:for-each select="option">
        <option value="{@value}">
          <xsl:if test="string(@value) = $value"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
          <xsl:choose>
            <xsl:when test="@key"><xsl:value-of select="i:t(@key)"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="@label"/></xsl:otherwise>
          </xsl:choose>
        </option>
      </xsl:for-each>
    </select>
  </xsl:template>
</xsl:stylesheet>
